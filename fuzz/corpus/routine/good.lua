-- A routine that uses every API call once; tests/unit/test_lua_api.c
-- checks the line numbers below, so keep them where they are.
local log = {}
return routine {
  id = "good-routine-1",
  title = "Good routine",
  summary = "Uses every call.",
  areas = { "knee", "hip" },
  equipment = { "chair" },
  minutes = 7.5,
  language = "en",
  run = function()
    say("Hello there.")
    show { title = "Sit tall", text = "On the chair.", side = "left", figure = "sit" }
    wait_next("Press Next")
    wait_next()
    countdown(3)
    hold { seconds = 30, reps = 3, rest = 10, side = "right", cue = "Breathe." }
    reps { count = 8, sets = 2, rest = 20, side = "left", cue = "Slowly.",
           tempo = { up = 2, hold = 1, down = 2 } }
    reps { count = 5 }
    rest(15)
    local a = ask { question = "Better?", choices = { "Yes", "No", "Same" } }
    record("answer", a)
    local p = ask_scale { question = "Pain?", min = 0, max = 10 }
    record("pain", p)
    local d = measure { name = "Toe to wall", unit = "cm", side = "left",
                        min = 0, max = 20, step = 0.5 }
    record("dist", d)
    local res = assess("knee_to_wall", { sides = { "left", "right" }, quick = true })
    record("score", res.score)
    record("flags", res.flags)
    for side in sides() do log[#log + 1] = side end
    for side in sides("right") do log[#log + 1] = side end
    record("sides", table.concat(log, ","))
    print("done", 42, true)
    record("said", select("#", say("Bye.")))
  end,
}
