-- Seated hamstring stretch (for a hip that fails the leg raise, and the
-- knee program, CLINICAL.md): sit on the front of a chair, the working leg
-- straight with the heel on the floor and the toes up, the other foot
-- flat; lean forward from the hips with a straight back until the back of
-- the thigh stretches. The working side is the straight leg.
return figure {
  title = "Hamstring stretch",
  view = "side",
  side = "left",
  limbs = { "leg_l" },
  props = { { "chair", under = "hip", pose = "sit" } },
  anchor = "hip",
  poses = {
    sit = {
      hip_l = 60, ankle_l = 10,
      hip_r = 90, knee_r = 90,
      shoulder = 45, elbow = 15,
    },
    lean = {
      pelvis = 30,
      hip_l = 90, ankle_l = 10,
      hip_r = 120, knee_r = 90,
      shoulder = 40, elbow = 10,
    },
  },
  sequence = { "sit", "lean" },
}
