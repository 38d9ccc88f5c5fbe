-- Side-lying hip raise (hip abduction, CLINICAL.md): lie on the side, the
-- bottom knee bent for balance, the top leg straight; lift the top leg
-- toward the ceiling, toes pointing forward, and lower it slowly. Seen
-- from the front, lying on the left side; the working side is the top
-- (right) leg.
return figure {
  title = "Side-lying hip raise",
  view = "front",
  side = "right",
  limbs = { "leg_r" },
  props = { "mat" },
  ground = "hip_l",
  anchor = "hip",
  poses = {
    down = {
      pelvis = 90,
      shoulder_l = 180, elbow_l = 20,
      shoulder_r = 5, elbow_r = 10,
      hip_l = 60, knee_l = -90, hip_l_out = 50, knee_l_out = 25,
      hip_r = 0,
    },
    up = {
      pelvis = 90,
      shoulder_l = 180, elbow_l = 20,
      shoulder_r = 5, elbow_r = 10,
      hip_l = 60, knee_l = -90, hip_l_out = 50, knee_l_out = 25,
      hip_r = 35,
    },
  },
  sequence = { "down", "up" },
}
