-- Knee-to-wall test (weight-bearing lunge) for ankle mobility.
--
-- A stiff ankle makes the knee and hip work around it, so knee pain often
-- starts here. Half-kneeling, the patient glides the knee over the little
-- toe to the wall with the heel down, moves the foot back until the knee
-- only just touches, and measures big toe to wall. Both sides, compared.
--
-- Norms (Hoch & McKeon 2011; Powden et al. 2015): healthy 12.0 +/- 2.8 cm;
-- 1 cm is about 3.6 degrees of dorsiflexion; sides differing by more than
-- 1.5 cm are worth flagging; a change under 1.9 cm between sessions is
-- measurement error. The knee_to_wall plugin holds these norms and says
-- what the numbers mean; we never diagnose.
--
-- No timed steps: everything waits for the patient, so the routine clock
-- reads 0 s at the end of a simulate run. About 5 minutes in real life.
--
-- The patient measures one side at a time, so the routine asks each
-- distance with measure{} as it goes and hands both to assess().

local OTHER = { left = "right", right = "left" }
local NAME = { left = "Left", right = "Right" }

return routine {
  id = "ankle-wall-test",
  title = "Ankle wall test",
  summary = "Measures how far each ankle bends, and compares the sides.",
  areas = { "ankle", "knee" },
  equipment = { "wall", "tape measure", "cushion for the knee" },
  minutes = 5,
  language = "en",
  run = function()
    pain_check("before")

    show { title = "Get ready", text = "A clear wall. A tape measure. A cushion." }
    say("You need a clear bit of wall, a tape measure, and a cushion for your knee.")
    wait_next("Press Next when ready")

    local dist = {}
    for side in sides() do
      -- The side is the front foot: that is the ankle being measured.
      show { figure = "knee_to_wall", title = "Kneel facing the wall", side = side,
             text = NAME[side] .. " foot in front. " .. NAME[OTHER[side]] .. " knee down." }
      say("Kneel on the cushion, facing the wall. Your " .. side
          .. " foot flat in front, your " .. OTHER[side] .. " knee down.")
      wait_next("Press Next when kneeling")

      show { figure = "knee_to_wall", title = "Toes a hand from the wall", side = side,
             text = "Big toe one hand-width from the wall. About 10 cm." }
      say("Put your " .. side .. " big toe one hand-width from the wall. "
          .. "That is about ten centimetres.")
      wait_next("Press Next when in place")

      show { figure = "knee_to_wall", title = "Knee to the wall", side = side,
             text = "Knee forward over the little toe. Heel stays down." }
      say("Slowly push your knee forward, over your little toe, to touch the wall. "
          .. "Keep your heel on the floor. Hold on to the wall if you need to.")
      wait_next("Press Next when done")

      -- The measured form: the farthest spot where the knee still touches
      -- with the heel flat. A heel that lifts first means a tight calf.
      show { figure = "knee_to_wall", title = "Find the farthest spot", side = side,
             text = "Move the foot back a little. Try again. Heel down." }
      say("If your knee touched, move your foot back a little and try again. "
          .. "Stop at the last spot where the knee just touches, with the heel down. "
          .. "If it did not touch, move your foot closer.")
      wait_next("Press Next when you have found it")

      show { figure = "knee_to_wall", title = "Measure", side = side,
             text = "Big toe to wall, in cm. Knee never touched? Enter 0." }
      say("Measure from the tip of your big toe to the wall, in centimetres.")
      dist[side] = measure { name = NAME[side] .. " toe to wall", unit = "cm",
                             side = side, min = 0, max = 20, step = 0.5 }
      record("knee_to_wall_cm." .. side, dist[side])
    end

    -- The knee_to_wall plugin scores the two distances against its norms
    -- (healthy 12.0 +/- 2.8 cm, sides more than 1.5 cm apart flagged),
    -- shows both sides as bars, and says what it means in plain words.
    local result = assess("knee_to_wall", { values = {
      ["distance_cm.left"] = dist.left,
      ["distance_cm.right"] = dist.right,
    } })
    record("knee_to_wall", result)

    pain_check("after")
  end,
}
