-- Seated knee extension (quadriceps, the knee program, CLINICAL.md): sit
-- tall on a chair, hands resting on the thighs; straighten the working knee until
-- the leg is level, hold, and lower it slowly. The working side is the
-- moving leg. This is the worked example in docs/figures.md.
return figure {
  title = "Seated knee extension",
  view = "side",
  side = "left",
  limbs = { "leg_l" },
  props = { { "chair", under = "hip", pose = "bent" } },
  anchor = "hip",
  poses = {
    -- sitting tall: hips and knees at right angles, feet flat
    bent = {
      hip = 90, knee = 90,
      shoulder = 25, elbow = 60,
    },
    -- the working knee straight, toes pulled up
    straight = {
      hip = 90, knee = 90,
      knee_l = 0, ankle_l = 10,
      shoulder = 25, elbow = 60,
    },
  },
  sequence = { "bent", "straight" },
}
