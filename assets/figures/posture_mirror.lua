-- Posture at a mirror (CLINICAL.md): standing tall facing a mirror, feet
-- hip-width apart, arms relaxed: are the shoulders level, the hips level,
-- the head straight? A still: nothing moves.
return figure {
  title = "Posture at the mirror",
  view = "front",
  props = { "mirror" },
  poses = {
    stand = { shoulder = 8, elbow = 6, hip = 4 },
  },
}
