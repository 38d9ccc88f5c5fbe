-- Glute activation: bridges, clamshells, side-lying leg raises.
--
-- After pain or long sitting the buttock muscles often "stop firing", and
-- the low back, hips and knees take over their work. These three drills
-- wake them up: bridges for both sides together, then clamshells and leg
-- raises one side at a time, so the sides can be compared.
--
-- Dose: activation drills, 8-12 reps (10-15 for older adults), 1-3 sets,
-- rests under a minute; bridges hold 3-5 s at the top (CLINICAL.md).
--
-- Everything happens on a mat or a bed, away from the screen, so from the
-- first Next until the patient is up again nothing asks for a button: the
-- engine paces every rep (tempo), a countdown gives time to lie down and
-- timed rests give time to roll over. STOP stays one press away.
--
-- Routine clock (timing rule: timed steps add no hidden time):
--   get down        countdown 15                              15 s
--   bridges         2 sets x 10 x (2+3+2) s + 30 s rest      170 s
--   roll onto side  rest 30                                   30 s
--   per side:  clamshells  2 x 12 x (1+1+2) s + 30 s rest    126 s
--              rest 10 (straighten the top leg)               10 s
--              leg raises  10 x (2+1+2) s                     50 s
--   roll over       rest 20 (between the sides)               20 s
--   total  15 + 170 + 30 + 2 x 186 + 20 = 607 s (10 min 7 s)

local OTHER = { left = "right", right = "left" }

return routine {
  id = "glute-activation",
  title = "Glute activation",
  summary = "Wakes up the buttock muscles that keep hips, knees and back in line.",
  areas = { "hip", "low back", "knee" },
  equipment = { "mat or bed" },
  minutes = 12, -- 607 s of timed steps, plus speech and questions
  language = "en",
  run = function()
    local before = pain_check("before")

    -- Bridges --------------------------------------------------------
    show { figure = "glute_bridge", title = "Bridges", text = "Lie on your back. Knees bent. Feet flat." }
    say("First, bridges. Lie on your back on the mat, knees bent, feet flat on the floor.")
    if before >= 4 then
      say("Go gently today. Stop if the pain gets worse.")
    end
    say("Press Next, then lie down. I will count you in.")
    wait_next("Press Next, then lie down")
    -- Time to get from the screen down onto the mat.
    countdown(15)

    show { figure = "glute_bridge", title = "Bridge", text = "Squeeze your buttocks. Lift your hips." }
    say("Squeeze your buttocks, then lift your hips "
        .. "until your body is straight from shoulders to knees. Don't arch your back.")
    -- Up 2 s, hold 3 s at the top, down 2 s: 7 s a rep, 70 s a set.
    reps { count = 10, sets = 2, rest = 30,
           tempo = { up = 2, hold = 3, down = 2 },
           cue = "Squeeze. Lift. Hold. Lower slowly." }

    -- Clamshells and leg raises, one side at a time --------------------
    -- Both drills for one side are done lying on the other side, so the
    -- patient rolls over only once.
    for side in sides() do
      local under = OTHER[side]
      show { figure = "clamshell", title = "Clamshells", side = side,
             text = "Lie on your " .. under .. " side. Knees bent. Feet together." }
      say("Clamshells for your " .. side .. " hip. Lie on your " .. under
          .. " side, knees bent, feet together, " .. side .. " leg on top.")
      if side == "left" then
        rest(30) -- also the rest after the bridges
      else
        rest(20) -- time to roll over
      end

      show { figure = "clamshell", title = "Clamshell", side = side,
             text = "Lift the top knee. Feet stay together." }
      say("Keep your feet together and lift your top knee. Don't let your hips roll back.")
      -- Lift 1 s, hold 1 s, lower slowly 2 s: 4 s a rep, 48 s a set.
      reps { count = 12, sets = 2, rest = 30, side = side,
             tempo = { up = 1, hold = 1, down = 2 },
             cue = "Lift the knee. Lower slowly." }

      show { figure = "side_lying_hip_raise", title = "Side leg raise", side = side,
             text = "Stay on your " .. under .. " side. Top leg straight." }
      say("Next, leg raises. Stay on your " .. under .. " side. "
          .. "Bend the bottom knee, and straighten your top leg.")
      rest(10)

      show { figure = "side_lying_hip_raise", title = "Side leg raise", side = side,
             text = "Lift the straight leg. Toes point forward." }
      say("Lift your top leg toward the ceiling, toes pointing forward. "
          .. "Lower it slowly.")
      -- Slow both ways so the leg is lifted by the hip, not swung.
      reps { count = 10, side = side,
             tempo = { up = 2, hold = 1, down = 2 },
             cue = "Lift. Lower slowly." }
    end

    show { title = "All done", text = "Take your time getting up." }
    say("All done. Take your time getting up.")

    pain_check("after")
  end,
}
