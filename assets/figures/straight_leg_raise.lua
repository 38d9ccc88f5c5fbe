-- Straight-leg raise (quadriceps, the knee program, CLINICAL.md): lie on
-- the back, the other knee bent with the foot flat; tighten the front of
-- the thigh and lift the straight leg to the height of the bent knee,
-- then lower it slowly. The working side is the straight leg.
return figure {
  title = "Straight-leg raise",
  view = "side",
  side = "left",
  limbs = { "leg_l" },
  props = { "mat" },
  anchor = "heel_r",
  poses = {
    down = {
      pelvis = -90, shoulder = -7, hip_l = -3,
      hip_r = 50, knee_r = 109, ankle_r = -31,
    },
    up = {
      pelvis = -90, shoulder = -7,
      hip_l = 25, -- the heel as high as the bent knee
      hip_r = 50, knee_r = 109, ankle_r = -31,
    },
  },
  sequence = { "down", "up" },
}
