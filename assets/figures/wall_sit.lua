-- Wall sit (the knee program, CLINICAL.md: strengthening the quadriceps):
-- back flat against a wall, feet forward, slide down until the knees are
-- bent (no lower than a chair's seat) and hold. A still: it is held.
return figure {
  title = "Wall sit",
  view = "side",
  props = { { "wall", at = "waist", behind = true } },
  poses = {
    hold = { hip = 75, knee = 75, shoulder = 5, elbow = 10 },
  },
}
