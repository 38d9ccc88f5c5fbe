-- a missing 'end' closes nothing
return routine {
  id = "syntax",
  title = "Syntax",
  run = function()
    if true then
      say("x")
  end,
}
