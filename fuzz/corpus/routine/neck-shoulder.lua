-- Neck and shoulders: a forward head and a shoulder that sits high.
--
-- A head that sits in front of the shoulders, and one shoulder higher
-- than the other (CLINICAL.md, tests), load the neck and give tension
-- headaches. This program trains the head back over the shoulders (chin
-- tucks), opens the chest that pulls the shoulders forward (doorway chest
-- stretch), and stretches the upper trapezius that lifts a shoulder, more
-- on the side of the higher shoulder.
--
-- Which side gets more: the last mirror check (posture_mirror, from the
-- Posture check routine) says which shoulder sat higher; with none on
-- record the routine asks. The high side's upper trapezius is held 4
-- times, the other side's 2.
--
-- Sides: in the trapezius stretch "the side" is the side being
-- stretched: the head tilts AWAY from it (the text says which way). In the
-- doorway stretch it is the arm on the frame.
--
-- Dose: chin tucks 10 x 5 s; stretches 30 s (ACSM 10-30 s, 2-4 times).
--
-- Routine clock (timed steps add no hidden time):
--   chin tuck            10 x (2+5+2) s                        90 s
--   doorway stretch      per side 3 x 30 s + 2 x 10 s rest = 110 s   220 s
--   upper trapezius      high side 4 x 30 + 3 x 10 = 150 s,
--                        other side 2 x 30 + 10 = 70 s        220 s
--   total 530 s (8 min 50 s) of timed steps, plus speech and questions.

local OTHER = { left = "right", right = "left" }

-- The shoulder the last mirror check found higher: "left", "right", or
-- nil (level, or no check on record).
local function higher_shoulder()
  -- posture_mirror records its choice as "left", "right" or "level"
  local h = history("posture_mirror.higher_shoulder", 1)
  if h[1] and (h[1].value == "left" or h[1].value == "right") then
    return h[1].value
  end
  return nil
end

return routine {
  id = "neck-shoulder",
  title = "Neck and shoulders",
  summary = "Brings the head back over the shoulders and lets a high shoulder drop.",
  areas = { "neck", "shoulder" },
  equipment = { "door frame", "chair" },
  minutes = 13,
  language = "en",
  run = function()
    pain_check("before")

    local high = higher_shoulder()
    if not high then
      local a = ask { question = "In the mirror, which shoulder sits higher?",
                      choices = { "Left", "Right", "They look level" } }
      if a == "Left" then high = "left" elseif a == "Right" then high = "right" end
      if high then record("higher_shoulder_said", high, { label = "Higher shoulder (said)" }) end
    end

    show { figure = "chin_tuck", title = "Chin tuck",
           text = "Sit tall. Slide your head straight back, like making a double chin." }
    say("Sit tall on a chair. Slide your head straight back, keep your eyes level.")
    reps { count = 10, tempo = { up = 2, hold = 5, down = 2, words = { up = "Back", hold = "Hold", down = "Relax" } },
           cue = "Eyes level. Do not nod." }

    show { figure = "doorway_chest_stretch", title = "Doorway chest stretch",
           text = "Stand in a door frame." }
    say("Now stand in a door frame.")
    wait_next("Press Next when in the door frame")
    for side in sides() do
      show { figure = "doorway_chest_stretch", title = "Forearm on the frame", side = side,
             text = "Forearm on the frame at shoulder height. Turn your chest gently through the door." }
      hold { seconds = 30, reps = 3, rest = 10, side = side,
             cue = "A stretch across the chest. Never pain." }
    end

    show { figure = "upper_trap_stretch", title = "Upper trapezius stretch",
           text = "Sit tall. Hold the chair seat with one hand." }
    say("Sit down again, tall, and hold the chair seat with one hand.")
    wait_next("Press Next when sitting")
    for side in sides(high) do
      local holds = 3
      if high then holds = (side == high) and 4 or 2 end
      show { figure = "upper_trap_stretch", title = "Upper trapezius stretch", side = side,
             text = "Hold the chair with your " .. side .. " hand. Tilt your head toward your "
                    .. OTHER[side] .. " shoulder." }
      hold { seconds = 30, reps = holds, rest = holds > 1 and 10 or 0, side = side,
             cue = "Ear toward the shoulder. Keep the " .. side .. " shoulder down." }
    end

    pain_check("after")
  end,
}
