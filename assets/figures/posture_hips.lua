-- Posture at a mirror, the hips (CLINICAL.md: "pelvis level"): standing
-- tall facing a mirror, feet hip-width apart, hands on the hip bones, to
-- feel and see whether one side sits higher. A still: nothing moves.
return figure {
  title = "Hands on the hip bones",
  view = "front",
  props = { "mirror" },
  poses = {
    stand = { shoulder = 38, elbow = -62, hip = 4 },
  },
}
