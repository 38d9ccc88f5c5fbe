-- Standing hamstring curl (the knee program, CLINICAL.md: strengthening
-- the hamstrings that hold the knee in line): hands on a wall for
-- balance, knees side by side; bend the working knee, bringing the heel
-- up behind, and lower it slowly. The working side is the bent leg.
return figure {
  title = "Standing hamstring curl",
  view = "side",
  side = "left",
  limbs = { "leg_l" },
  props = { { "wall", at = "hand", pose = "stand" } },
  anchor = "heel_r",
  poses = {
    stand = { pelvis = 5, shoulder = 80, elbow = 20 },
    curl = { pelvis = 5, hip_l = -5, knee_l = 90, ankle_l = -20,
             shoulder = 80, elbow = 20 },
  },
  sequence = { "stand", "curl" },
}
