-- Mini squat (quadriceps, the knee program, CLINICAL.md): feet hip-width
-- apart, arms forward for balance; bend the knees a little and push the
-- hips back, knees over the toes, heels down; stand up again.
return figure {
  title = "Mini squat",
  view = "side",
  anchor = "heel",
  poses = {
    stand = { shoulder = 90, elbow = 5 },
    squat = {
      pelvis = 18, hip = 45, knee = 45, ankle = 18, neck = -12,
      shoulder = 105, elbow = 5,
    },
  },
  sequence = { "stand", "squat" },
}
