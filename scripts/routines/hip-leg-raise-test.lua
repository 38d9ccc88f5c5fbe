-- Doorway leg raise: hip mobility, both sides compared.
--
-- Lying on the back in a doorway, one leg straight through the door and
-- still, the other raised straight toward the wall. Healthy: it reaches
-- 90 degrees and rests on the wall. A knee that must bend points to tight
-- hamstrings and glutes; the resting foot turning out points to tight
-- glutes (CLINICAL.md). The doorway_leg_raise plugin asks the three
-- yes/no questions per side and explains the result; we never diagnose.
--
-- The patient is on the floor: every step waits for NEXT, so a helper or
-- a big button is needed. No timed steps.

local SEVERE = 7

return routine {
  id = "hip-leg-raise-test",
  title = "Hip leg raise test",
  summary = "Checks how freely each hip lifts a straight leg.",
  areas = { "hip", "low back", "knee" },
  equipment = { "doorway", "mat" },
  minutes = 5,
  run = function()
    local before = ask_scale { question = "Before we start: how much pain?",
                               min = 0, max = 10 }
    record("pain_before", before)
    if before >= SEVERE then
      show { title = "Rest today", text = "Your pain is high. Please call your therapist." }
      say("Your pain is high today. Please skip this test, and call your therapist.")
      record("ended_early", "pain before start")
      wait_next("OK")
      return
    end

    show { title = "Lie in a doorway",
           text = "On your back. Knee caps on the threshold. Arms relaxed." }
    say("Lie on your back in an open doorway, with your knee caps on the "
        .. "threshold and your arms relaxed, palms up.")
    wait_next("Press Next when you are lying down")

    show { title = "Feet ready",
           text = "Feet together. Toes up, pulled toward your shins." }
    say("Feet together, toes pointing to the ceiling and pulled toward your shins.")
    wait_next("Press Next when ready")

    for side in sides() do
      show { title = "Raise your leg", side = side,
             text = "Keep it straight. Slowly raise it toward the wall." }
      say("Keep your " .. side .. " leg straight and slowly raise it toward "
          .. "the wall. Keep the other leg straight and still.")
      wait_next("Press Next when you have raised it")
      show { title = "Lower it slowly", side = side, text = "Rest a moment." }
      say("Lower it slowly and rest a moment.")
      wait_next("Press Next to answer")
    end

    -- The plugin asks, for each side: reached the wall? knee bent? other
    -- foot turned out? and says what the answers mean.
    local result = assess("doorway_leg_raise")
    record("doorway_leg_raise", result)

    local after = ask_scale { question = "All done: how much pain now?",
                              min = 0, max = 10 }
    record("pain_after", after)
    show { title = "Well done", text = "Your results are saved." }
    say("Well done. Your results are saved for your therapist.")
  end,
}
