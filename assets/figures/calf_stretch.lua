-- Calf stretch at a wall (calf loosening for a stiff ankle, CLINICAL.md):
-- hands on the wall, the working leg back and straight with the heel
-- down, the front knee bent; lean toward the wall until the calf of the
-- back leg stretches. The working side is the back leg.
return figure {
  title = "Calf stretch",
  view = "side",
  side = "left",
  limbs = { "leg_l" },
  props = { { "wall", at = "hand_l", pose = "ready" } },
  anchor = "heel_l",
  poses = {
    ready = {
      pelvis = 5,
      hip_l = -15, ankle_l = 20,
      hip_r = 24, knee_r = 38, ankle_r = 16,
      shoulder = 95, elbow = 15,
    },
    stretch = {
      pelvis = 15,
      hip_l = -10, ankle_l = 25,
      hip_r = 42, knee_r = 52, ankle_r = 25,
      shoulder = 78, elbow = 70,
    },
  },
  sequence = { "ready", "stretch" },
}
