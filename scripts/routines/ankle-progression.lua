-- Ankle progression: calf work dosed from the last knee-to-wall results.
--
-- A stiff ankle (a short knee-to-wall distance) makes the knee and hip
-- take up the slack. This routine looks at the patient's last two
-- knee-to-wall results (the Ankle wall test, or the re-test at the end of
-- this routine) and doses the calf work from them:
--
-- * a side under 9.2 cm (the healthy 12.0 +/- 2.8 cm, CLINICAL.md) gets
--   4 calf stretch holds, a side in the healthy range 2, else 3;
-- * the side that is 1.5 cm or more shorter than the other gets one hold
--   more (an asymmetry worth working on);
-- * calf raises are added once both sides are in the healthy range, or a
--   side improved by 1.9 cm or more (more than measurement error) since
--   the result before;
-- * with no result on record it gives the standard 3 holds a side and
--   asks for the test at the end.
--
-- It ends with the measurement (knee_to_wall), so the next session doses
-- from this one. The therapist can fix the holds per patient:
-- `rebalance patients set NAME ankle-progression.holds=4` (0: dosed).
--
-- Sides: "the side" is the leg whose calf is stretched, the back leg in
-- the wall stretch and the front foot in the knee-to-wall measurement.
--
-- Routine clock, at most (timed steps add no hidden time):
--   calf stretch   per side up to 5 x 30 s + 4 x 10 s rest = 190 s   380 s
--   calf raises    2 sets x 12 x (2+1+2) s + 30 s rest               150 s
--   the measurement is self-paced (Next when ready, about 2 min).
--   total at most 530 s of timed steps (8 min 50 s), plus the test.

local ankle = use("ankle") -- lib/ankle.lua: the dosing rule
local NAME = { left = "Left", right = "Right" }

return routine {
  id = "ankle-progression",
  title = "Ankle progression",
  summary = "Calf stretches dosed from your last ankle test, then the test again.",
  areas = { "ankle", "knee" },
  equipment = { "wall", "tape measure", "cushion for the knee" },
  minutes = 14,
  language = "en",
  run = function()
    pain_check("before")

    local d = ankle.dose()
    local fixed = param("holds", 0)
    if fixed > 0 then
      d.holds.left, d.holds.right = math.min(fixed, 5), math.min(fixed, 5)
    end
    record("calf_holds.left", d.holds.left, { label = "Calf stretch holds, left" })
    record("calf_holds.right", d.holds.right, { label = "Calf stretch holds, right" })

    if d.known then
      say("Your calf work today follows your last ankle test.")
    else
      say("There is no ankle test on record yet, so today is the standard dose. "
          .. "We measure at the end.")
    end

    show { figure = "calf_stretch", title = "Calf stretch",
           text = "Hands on the wall. One foot back, heel down, knee straight." }
    wait_next("Press Next at the wall")
    for side in sides() do
      show { figure = "calf_stretch", title = "Calf stretch", side = side,
             text = NAME[side] .. " foot back. Heel down. Lean into the wall." }
      hold { seconds = 30, reps = d.holds[side], rest = d.holds[side] > 1 and 10 or 0,
             side = side, cue = "Keep the back heel on the floor." }
    end

    if d.raises then
      show { figure = "calf_raise", title = "Calf raise",
             text = "Hold the wall. Rise onto your toes, then lower slowly." }
      say("Your ankles are ready for more: calf raises.")
      reps { count = 12, sets = 2, rest = 30,
             tempo = { up = 2, hold = 1, down = 2, words = { up = "Rise", down = "Lower" } },
             cue = "Up on the big toes. Lower slowly." }
    end

    -- The measurement, so the next session can dose from it.
    local dist = {}
    for side in sides() do
      show { figure = "knee_to_wall", title = "Knee to wall", side = side,
             text = NAME[side] .. " foot in front. Find the farthest spot where the knee touches, heel down." }
      say("Kneel facing the wall with your " .. side .. " foot in front. Move the foot back to the "
          .. "farthest spot where the knee still touches the wall with the heel down.")
      wait_next("Press Next when you have found it")
      dist[side] = measure { name = NAME[side] .. " toe to wall", unit = "cm",
                             side = side, min = 0, max = 20, step = 0.5 }
    end
    assess("knee_to_wall", { values = {
      ["distance_cm.left"] = dist.left,
      ["distance_cm.right"] = dist.right,
    } })

    pain_check("after")
  end,
}
