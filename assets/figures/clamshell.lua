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
    -- short, and a little lower), the feet stay behind, in line with the
    -- back
    closed = {
      pelvis = 90,
      shoulder_l = 180, elbow_l = 20,
      shoulder_r = 5, elbow_r = 10,
      hip_l = 60, knee_l = -90,
      hip_r = -60, knee_r = 90,
      hip_out = 50, knee_out = 25,
    },
    -- the top knee lifted toward the ceiling, the feet still together
    open = {
      pelvis = 90,
      shoulder_l = 180, elbow_l = 20,
      shoulder_r = 5, elbow_r = 10,
      hip_l = 60, knee_l = -90,
      hip_r = 18, knee_r = -51,
      hip_out = 50, knee_l_out = 25, knee_r_out = 54,
    },
  },
  sequence = { "closed", "open" },
}
