-- Single-arm doorway chest stretch.
--
-- Tight chest muscles pull the shoulders forward and leave less room in
-- the shoulder joint; the neck often takes the strain. One arm at a time
-- lets us compare the sides and keeps the stretch gentle.
--
-- Dose: 30 s x 3 a side with 10 s to ease off between holds (ACSM 10-30 s,
-- 2-4 reps; 30-60 s suits older adults). On the routine clock each side
-- takes 3 x 30 + 2 x 10 = 110 s, the whole routine 220 s.

return routine {
  id = "doorway-chest-stretch",
  title = "Doorway chest stretch",
  summary = "Opens the chest so the shoulders can sit level.",
  areas = { "chest", "shoulder", "neck" },
  equipment = { "door frame" },
  minutes = 6, -- 220 s of holds, plus speech, getting in place and questions
  language = "en",
  run = function()
    local before = pain_check("before")

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

    pain_check("after")
  end,
}
