-- Doorway leg raise: hip mobility, both sides compared.
--
-- Lying on the back in a doorway, one leg straight through the door and
-- still, the other raised straight toward the wall. Healthy: it reaches
-- 90 degrees and rests on the wall. A knee that must bend points to tight
-- hamstrings and glutes; the resting foot turning out points to tight
-- glutes (CLINICAL.md). The doorway_leg_raise plugin asks the three
-- yes/no questions for each side right after that leg was raised, and
-- explains the result; we never diagnose.
--
-- The patient is on the floor: every step waits for NEXT, so a helper or
-- a big button is needed. No timed steps.

return routine {
  id = "hip-leg-raise-test",
  title = "Hip leg raise test",
  summary = "Checks how freely each hip lifts a straight leg.",
  areas = { "hip", "low back", "knee" },
  equipment = { "doorway", "mat" },
  minutes = 5,
  run = function()
    pain_check("before")

    show { figure = "doorway_leg_raise", title = "Lie in a doorway",
           text = "On your back. Knee caps on the threshold. Arms relaxed." }
    say("Lie on your back in an open doorway, with your knee caps on the "
        .. "threshold and your arms relaxed, palms up.")
    wait_next("Press Next when you are lying down")

    show { figure = "doorway_leg_raise", title = "Feet ready",
           text = "Feet together. Toes up, pulled toward your shins." }
    say("Feet together, toes pointing to the ceiling and pulled toward your shins.")
    wait_next("Press Next when ready")

    -- The plugin leads the test side by side: its instructions with the
    -- LEFT badge, the three questions about the left leg right after it
    -- was raised, then the same for the right leg, then what it means.
    local result = assess("doorway_leg_raise")
    record("doorway_leg_raise", result)

    pain_check("after")
  end,
}
