-- Clamshell (glute activation, CLINICAL.md): lie on the side, hips and
-- knees bent, feet together; keep the feet together and lift the top knee,
-- without letting the hips roll back. Seen from the front, lying on the
-- left side; the working side is the top (right) leg.
return figure {
  title = "Clamshell",
  view = "front",
  side = "right",
  limbs = { "leg_r" },
  props = { "mat" },
  ground = "hip_l",
  anchor = "hip",
  poses = {
    -- hips and knees bent: the thighs come toward you (so they look
    -- short), the feet stay behind, in line with the back; the top leg
    -- rests on the bottom one, knee on knee, foot on foot
    closed = {
      pelvis = 90,
      shoulder_l = 180, elbow_l = 20,
      shoulder_r = 5, elbow_r = 10,
      hip_l = 50, knee_l = -90, hip_l_out = 50, knee_l_out = 25,
      hip_r = -57, knee_r = 93, hip_r_out = 41, knee_r_out = 30,
    },
    -- the top knee lifted toward the ceiling, the feet still together
    open = {
      pelvis = 90,
      shoulder_l = 180, elbow_l = 20,
      shoulder_r = 5, elbow_r = 10,
      hip_l = 50, knee_l = -90, hip_l_out = 50, knee_l_out = 25,
      hip_r = -21, knee_r = 33, hip_r_out = 50, knee_r_out = 59,
    },
  },
  sequence = { "closed", "open" },
}
