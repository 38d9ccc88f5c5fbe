-- Low back: move, then strengthen the trunk, then rest.
--
-- For a stiff, aching low back without leg symptoms: gentle movement of
-- the spine (cat-camel, pelvic tilts), the deep trunk and buttock muscles
-- that hold it (bird-dog, bridges), and a resting stretch to end
-- (child's pose). CLINICAL.md: "Back: posture practice, strengthening
-- weak trunk muscles, loosening tight ones, rest between hard sessions".
--
-- Dose: movement drills slowly, 10 times; strength 8-12 reps, rests under
-- a minute; bird-dog holds 3 s at the top; the rest stretch 30 s twice.
--
-- Sides: a bird-dog reaches one arm and the OTHER leg. Here "the side" is
-- the leg that reaches back (the figure and badge show it); the arm that
-- reaches forward is the opposite one, and the text says so.
--
-- Routine clock (timed steps add no hidden time):
--   get down          countdown 10                            10 s
--   cat-camel         10 x (3+0+3) s                          60 s
--   bird-dog          per side 8 x (2+3+2) s = 56 s, 20 s rest   132 s
--   roll over         rest 15                                 15 s
--   pelvic tilt       10 x (2+2+2) s                          60 s
--   bridge            2 sets x 10 x (2+3+2) s + 30 s rest     170 s
--   child's pose      2 x 30 s + 10 s rest                    70 s
--   total 517 s (8 min 37 s) of timed steps, plus speech and questions.

local OTHER = { left = "right", right = "left" }

return routine {
  id = "low-back",
  title = "Low back",
  summary = "Gentle movement, then the muscles that hold the back, then a resting stretch.",
  areas = { "low back" },
  equipment = { "mat or bed" },
  minutes = 14,
  language = "en",
  run = function()
    pain_check("before")

    show { figure = "cat_camel", title = "Cat-camel",
           text = "On hands and knees. Hands under the shoulders, knees under the hips." }
    say("Get down on your hands and knees, hands under your shoulders, knees under your hips.")
    wait_next("Press Next, then get down")
    countdown(10)
    show { figure = "cat_camel", title = "Cat-camel",
           text = "Round your back up slowly, then let it sink slowly." }
    reps { count = 10, tempo = { up = 3, down = 3, words = { up = "Round", down = "Sink" } },
           cue = "Slowly, only as far as is comfortable." }

    show { figure = "bird_dog", title = "Bird-dog", text = "Stay on hands and knees. Back flat." }
    for side in sides() do
      show { figure = "bird_dog", title = "Bird-dog", side = side,
             text = "Reach your " .. side .. " leg back and your " .. OTHER[side]
                    .. " arm forward. Keep your back flat." }
      reps { count = 8, side = side, tempo = { up = 2, hold = 3, down = 2 },
             cue = "Reach long, do not lift high. Hips stay level." }
      if side == "left" then rest(20) end
    end

    show { figure = "pelvic_tilt", title = "Pelvic tilt",
           text = "Lie on your back, knees bent, feet flat." }
    say("Now roll onto your back, knees bent, feet flat.")
    rest(15)
    show { figure = "pelvic_tilt", title = "Pelvic tilt",
           text = "Flatten your low back into the floor, then let it go." }
    reps { count = 10, tempo = { up = 2, hold = 2, down = 2, words = { up = "Flatten", down = "Let go" } },
           cue = "Tighten your tummy gently. Keep breathing." }

    show { figure = "glute_bridge", title = "Bridge",
           text = "Squeeze your buttocks. Lift your hips." }
    reps { count = 10, sets = 2, rest = 30, tempo = { up = 2, hold = 3, down = 2 },
           cue = "Squeeze. Lift. Hold. Lower slowly." }

    show { figure = "childs_pose", title = "Child's pose",
           text = "Kneel, sit back toward your heels and reach your arms forward." }
    say("Last, a rest. Kneel, sit back toward your heels and reach your arms forward.")
    hold { seconds = 30, reps = 2, rest = 10, cue = "Breathe slowly. Let your back relax." }

    pain_check("after")
  end,
}
