-- Posture side-on (CLINICAL.md, forward head): standing tall, seen from
-- the side, arms relaxed: does the ear sit over the shoulder, or in front
-- of it? A still.
return figure {
  title = "Posture side-on",
  view = "side",
  poses = {
    stand = { shoulder = 3, elbow = 8 },
  },
}
