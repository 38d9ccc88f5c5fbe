-- Single-arm doorway chest stretch.
--
-- Tight chest muscles pull the shoulders forward and leave less room in
-- the shoulder joint; the neck often takes the strain. One arm at a time
-- lets us compare the sides and keeps the stretch gentle.
--
-- Dose: 30 s x 3 a side with 10 s to ease off between holds (ACSM 10-30 s,
-- 2-4 reps; 30-60 s suits older adults). On the routine clock each side
-- takes 3 x 30 + 2 x 10 = 110 s, the whole routine 220 s.

-- Pain on the 0-10 scale. 7 or more is severe: no stretching today.
local SEVERE = 7
-- A rise of 2 points is a clinically meaningful change (Farrar 2001).
local MEANINGFUL = 2

return routine {
  id = "doorway-chest-stretch",
  title = "Doorway chest stretch",
  summary = "Opens the chest so the shoulders can sit level.",
  areas = { "chest", "shoulder", "neck" },
  equipment = { "door frame" },
  minutes = 6, -- 220 s of holds, plus speech, getting in place and questions
  language = "en",
  run = function()
    local before = ask_scale { question = "Before we start: how much pain?",
                               min = 0, max = 10 }
    record("pain_before", before)
    if before >= SEVERE then
      -- CLINICAL.md: high pain before a session ends the exercise.
      show { title = "Rest today", text = "Your pain is high. Please call your therapist." }
      say("Your pain is high today. Please skip this stretch, and call your therapist.")
      record("ended_early", "pain before start")
      wait_next("OK")
      return
    end

    show { figure = "doorway_chest_stretch", title = "Find a doorway", text = "Stand in an open doorway." }
    say("Stand in an open doorway, facing through it.")
    if before >= 4 then
      say("Go gently today.")
    end
    wait_next("Press Next when you are there")

    for side in sides() do
      -- Getting the arm right matters most: forearm on the frame, hand at
      -- about shoulder height (CLINICAL.md). Much higher strains the front
      -- of the shoulder instead of stretching the chest.
      show { figure = "doorway_chest_stretch", title = "Arm on the frame", side = side,
             text = "Forearm on the frame. Hand at shoulder height." }
      say("Put your " .. side .. " forearm flat on the door frame, "
          .. "with your hand at shoulder height.")
      wait_next("Press Next when your arm is in place")

      show { figure = "doorway_chest_stretch", title = "Turn gently", side = side,
             text = "Turn your chest through the door. A stretch, never sharp pain." }
      say("Slowly turn your chest through the door, away from the arm, "
          .. "until you feel a stretch across the chest. "
          .. "A stretch, never sharp pain.")
      -- The cue is spoken at the start of each hold; the 10 s rests are
      -- for easing off, not for leaving the doorway.
      hold { seconds = 30, reps = 3, rest = 10, side = side,
             cue = "Turn gently. Breathe slowly." }

      show { title = "Arm down", side = side, text = "Lower your arm. Relax." }
      say("Lower your arm and let it relax.")
    end

    local after = ask_scale { question = "All done: how much pain now?",
                              min = 0, max = 10 }
    record("pain_after", after)
    record("pain_change", after - before)
    if after - before >= MEANINGFUL then
      show { title = "Pain went up", text = "Please tell your therapist." }
      say("Your pain went up. Please tell your therapist before you do this stretch again.")
      wait_next("OK")
    else
      show { title = "Well done", text = "This stretch works best every day." }
      say("Well done. This stretch works best every day.")
    end
  end,
}
