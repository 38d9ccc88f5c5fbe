-- Cat-camel (the low back program, CLINICAL.md): on hands and knees,
-- hands under the shoulders, knees under the hips; round the back up
-- toward the ceiling, letting the head drop, then let the back sag gently
-- and look up.
return figure {
  title = "Cat-camel",
  view = "side",
  props = { "mat" },
  anchor = "knee",
  poses = {
    -- hands under the shoulders, knees under the hips: the thighs and
    -- arms stay upright, so hip follows pelvis and shoulder follows
    -- pelvis + trunk
    round = {
      pelvis = 30, trunk = 55, neck = 40,
      hip = 24, knee = 100, ankle = -50,
      shoulder = 76, elbow = 20,
    },
    sag = {
      pelvis = 88.4, trunk = -25, neck = -35,
      hip = 88.4, knee = 100, ankle = -50,
      shoulder = 63.4,
    },
  },
  sequence = { "round", "sag" },
}
