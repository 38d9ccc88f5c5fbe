-- Doorway leg raise (hip mobility, CLINICAL.md): lie on the back in a
-- doorway, arms relaxed, toes to the ceiling and pulled toward the shins.
-- One leg stays straight and still through the door; the other is raised,
-- straight, toward the wall. Healthy: it reaches 90 degrees and rests on
-- the wall. The working side is the raised leg.
return figure {
  title = "Doorway leg raise",
  view = "side",
  side = "left",
  limbs = { "leg_l" },
  props = { "mat", { "wall", at = "knee_l", pose = "raised" } },
  anchor = "hip",
  poses = {
    flat = { pelvis = -90, hip = -3, shoulder = -7 },
    raised = { pelvis = -90, hip_l = 90, hip_r = -3, shoulder = -7 },
  },
  sequence = { "flat", "raised" },
}
