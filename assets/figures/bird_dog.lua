-- Bird-dog (the low back program, CLINICAL.md): on hands and knees, reach
-- one arm forward and the other leg back until both are level with the
-- back, hold without letting the back sag or twist, and come back. The
-- side is the leg: side "left" lifts the left leg and the right arm, and
-- those two limbs are drawn in the side's colour.
return figure {
  title = "Bird-dog",
  view = "side",
  side = "left",
  limbs = { "leg_l", "arm_r" },
  props = { "mat" },
  anchor = "knee_r",
  poses = {
    hands_knees = {
      pelvis = 70, hip = 70, knee = 100, ankle = -50, shoulder = 70,
    },
    -- the left leg back and the right arm forward, level with the back
    reach = {
      pelvis = 70, hip_r = 70, knee_r = 100, ankle = -50,
      hip_l = -20, knee_l = 0, ankle_l = -30,
      shoulder_l = 70, shoulder_r = 160,
    },
  },
  sequence = { "hands_knees", "reach" },
}
