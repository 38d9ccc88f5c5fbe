-- Knee-to-wall (weight-bearing lunge) test for ankle mobility
-- (CLINICAL.md): half-kneel facing a wall, knee and hip at 90 degrees, the
-- front foot's toe about a palm-width from the wall; glide the knee
-- forward over the little toe to touch the wall without lifting the heel.
-- The working side is the front foot: the ankle being measured.
return figure {
  title = "Knee to wall",
  view = "side",
  side = "left",
  limbs = { "leg_l" },
  props = { { "wall", at = "knee_l", pose = "touch" } },
  anchor = "heel_l",
  poses = {
    -- half-kneeling: front shin upright, back knee down, toes tucked
    kneel = {
      hip_l = 93, knee_l = 93, ankle_l = 0,
      hip_r = 0, knee_r = 105, ankle_r = 20,
      shoulder = 22, elbow = 60,
    },
    -- the knee forward to the wall, the heel still down
    touch = {
      pelvis = 5,
      hip_l = 98, knee_l = 122, ankle_l = 28,
      hip_r = -25, knee_r = 75, ankle_r = 20,
      shoulder = 60, elbow = 95,
    },
  },
  sequence = { "kneel", "touch" },
}
