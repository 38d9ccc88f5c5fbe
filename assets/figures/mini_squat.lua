-- Mini squat (quadriceps, the knee program, CLINICAL.md): feet hip-width
-- apart, hands on a counter (or a chair's back) for balance, as the
-- routine says; bend the knees a little and push the hips back, knees
-- over the toes, heels down; stand up again. The hands stay on the
-- counter: the arms rise a little as the body goes down.
return figure {
  title = "Mini squat",
  view = "side",
  anchor = "heel",
  props = { { "wall", at = "hand", pose = "stand" } },
  poses = {
    stand = { shoulder = 75, elbow = 15 },
    squat = {
      pelvis = 18, hip = 45, knee = 45, ankle = 18, neck = -12,
      shoulder = 76, elbow = 66,
    },
  },
  sequence = { "stand", "squat" },
}
