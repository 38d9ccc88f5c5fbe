-- Standing quadriceps stretch (the knee program, CLINICAL.md): stand on
-- one leg with a hand on the wall; bend the working knee and bring the
-- heel toward the buttock, holding the ankle, knees side by side, until
-- the front of the thigh stretches. The working side is the bent leg.
return figure {
  title = "Quadriceps stretch",
  view = "side",
  side = "left",
  limbs = { "leg_l" },
  props = { { "wall", at = "hand_r", pose = "stretch" } },
  anchor = "heel_r",
  poses = {
    stand = {
      shoulder_l = 5, elbow_l = 10,
      shoulder_r = 80, elbow_r = 10,
    },
    stretch = {
      hip_l = -5, knee_l = 140, ankle_l = -40,
      shoulder_l = -45, elbow_l = 10,
      shoulder_r = 80, elbow_r = 10,
    },
  },
  sequence = { "stand", "stretch" },
}
