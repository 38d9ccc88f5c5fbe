-- Child's pose (the low back program, CLINICAL.md: loosening tight
-- muscles): kneel, sit back toward the heels, and fold forward until the
-- forehead rests on the floor, arms stretched out in front; breathe
-- slowly. A still: nothing moves but the breath.
return figure {
  title = "Child's pose",
  view = "side",
  props = { "mat" },
  poses = {
    rest = {
      pelvis = 65, trunk = 35, neck = 35,
      hip = 130, knee = 160, ankle = -50,
      shoulder = 180, elbow = -20,
    },
  },
}
