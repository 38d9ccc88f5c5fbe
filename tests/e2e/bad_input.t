#!/usr/bin/env perl
# Bad routines are normal input for a kiosk: each gives a FILE:LINE
# message on the screen, in the log and in the timeline, ends as `error`,
# and the program goes on (back to the home screen, ready for the next).
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use Test::More;
use File::Temp ();

my $fx = root() . '/tests/fixtures';
my %cases = (
  'syntax_error.lua'  => [8, qr/unexpected symbol/],
  'no_run.lua'        => [1, qr/run is required/],
  'negative_hold.lua' => [6, qr/hold: seconds must be between 1 and 3600 \(got -5\)/],
  'forever.lua'       => [7, qr/ran too long/],
  'memory_bomb.lua'   => [7, qr/more than its 64 MiB/],
);

for my $file (sort keys %cases) {
  my ($line, $why) = @{ $cases{$file} };
  my $path = "$fx/$file";
  # after the error: OK goes home; PRIMARY opens the first card, PRIMARY
  # starts it: the kiosk runs the next routine in the same process
  my $shots = File::Temp::tempdir(CLEANUP => 1);
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--routine', $path,
             '--screenshot-dir', $shots],
    input => "100 SCREENSHOT error\n200 PRIMARY\n300 SCREENSHOT home\n"
      . "400 PRIMARY\n500 PRIMARY\n600 SCREENSHOT next\n");
  my $tl    = $r->{timeline};
  my ($end) = all_events($tl, 'end');
  is($end->{status}, 'error', "$file: ends as error");
  like($end->{error}, qr/^\Q$path\E:$line: /, "$file: timeline error names $file:$line");
  like($end->{error}, $why, "$file: and says why");
  like($r->{stderr}, qr/\Q$path\E:$line: /, "$file: logged with FILE:LINE");
  is($r->{status}, 1, "$file: exit status 1");
  my @starts = all_events($tl, 'start');
  is(scalar @starts, 2, "$file: the program went on and started another routine");
  is($starts[1]{routine}, 'ankle-progression',
     "$file: the first routine on the home screen");
  ok(-s "$shots/error.png" && -s "$shots/home.png" && -s "$shots/next.png",
     "$file: error, home and next screens drawn");
}

# the screenshots exist (the screen tests look at them more closely)
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--routine',
             "$fx/negative_hold.lua", '--screenshot-dir', $dir],
    input => "100 SCREENSHOT error\n200 PRIMARY\n300 SCREENSHOT home\n");
  ok(-s "$dir/error.png", 'error screen drawn');
  ok(-s "$dir/home.png", 'home screen drawn after OK');
}

# a broken file among good ones: the kiosk starts, lists the good ones
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  system('cp', "$fx/syntax_error.lua", root() . '/scripts/routines/doorway-chest-stretch.lua', $dir) == 0
    or die "cp: $?";
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--routines', $dir],
    input => "100 PRIMARY\n200 PRIMARY\n300 ANSWER 8\n400 NEXT\n");
  is($r->{status}, 2, 'broken file in the routines dir: the kiosk runs (exit 2: stopped)');
  is(first_event($r->{timeline}, 'start')->{routine}, 'doorway-chest-stretch',
     'and starts the good routine');
  # pain 8 before: the clinic's rule (pain_check) rests the patient today
  is($r->{timeline}[-1]{status}, 'stopped', 'which runs to its end: stopped');
  is($r->{timeline}[-1]{reason}, 'pain_before', 'by the pain before it');
}

# scripted input with a mistake names its file and line
{
  my $r = run_rebalance(args => ['--headless', '--virtual-clock',
                                 '--routine', 'doorway-chest-stretch'],
                        input => "100 ANSWER 1\n200 JUMP\n");
  is($r->{status}, 1, 'bad --input: exit 1');
  like($r->{stderr}, qr/input\.txt:2: unknown action/, 'bad --input: FILE:LINE');
}

# a settings file with typos: named with FILE:LINE, the coach still runs
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $fh, '>', "$dir/rebalance.conf" or die $!;
  print $fh "# clinic\nrate = fast\nrotaet = 90\nvolume = 50\n";
  close $fh;
  my $r = run_rebalance(
    args => ['--config', "$dir/rebalance.conf", '--headless', '--virtual-clock',
             '--routine', 'doorway-chest-stretch',
             '--answer', 'pain_before=9'],
    input => "100 NEXT\n");
  like($r->{stderr}, qr/rebalance\.conf:2: rate: expected a whole number/,
       'config: bad value named with FILE:LINE');
  like($r->{stderr}, qr/rebalance\.conf:3: unknown key 'rotaet'/,
       'config: typo named with FILE:LINE');
  is($r->{timeline}[-1]{status}, 'stopped', 'config: the coach still runs');
  is($r->{timeline}[-1]{reason}, 'pain_before',
     'config: to the end the pain before gives it');
}

# --- issue 14's smaller findings: each ends with a message, at once -------
# a config line longer than inih's buffer is refused whole, never split
# (its tail used to be read as a line of its own)
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $fh, '>', "$dir/rebalance.conf" or die $!;
  print $fh '# ' . ('x' x 300) . " volume = 7\n";
  print $fh "volume = 50\n";
  close $fh;
  my $r = run_rebalance(
    args => ['--config', "$dir/rebalance.conf", 'check',
             root() . '/scripts/routines/low-back.lua']);
  like($r->{stderr}, qr/rebalance\.conf:1: line too long/,
       'config: a long line is named with FILE:LINE');
  unlike($r->{stderr}, qr/volume/, 'config: and its tail is not read as a key');
}
# a FIFO named *.lua among the routines: start-up does not hang on it
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  system('cp', root() . '/scripts/routines/doorway-chest-stretch.lua', $dir) == 0
    or die;
  system('mkfifo', "$dir/zz.lua") == 0 or die 'mkfifo';
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--routines', $dir],
    input => "100 PRIMARY\n200 PRIMARY\n300 ANSWER 8\n");
  like($r->{stderr}, qr/zz\.lua: not a regular file/, 'a FIFO: named, not opened');
  is(first_event($r->{timeline}, 'start')->{routine}, 'doorway-chest-stretch',
     'a FIFO: the good routine runs');
}
# --input with a time past any session is a mistake in the script
{
  my $r = run_rebalance(args => ['--headless', '--virtual-clock',
                                 '--routine', 'doorway-chest-stretch'],
                        input => "9223372036854775807 NEXT\n");
  is($r->{status}, 1, '--input T = INT64_MAX: exit 1');
  like($r->{stderr}, qr/input\.txt:1: a time past 24 hours/, 'named with FILE:LINE');
}
# a step that would run past the 4 hours is an error when it starts, not
# after 716,400 s on the virtual clock
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $fh, '>', "$dir/long.lua" or die $!;
  print $fh "return routine { id = 'long', title = 'Long', run = function()\n"
    . "  hold { seconds = 3600, reps = 100, rest = 3600 }\nend }\n";
  close $fh;
  my $r = run_rebalance(args => ['simulate', "$dir/long.lua"], no_timeline => 1);
  my $tl = events_of($r->{stdout});
  is($tl->[-1]{t}, 0, 'a 199-hour hold: ended at once');
  like($tl->[-1]{error}, qr/long\.lua:2: this step takes 716400 s/,
       'with FILE:LINE and why');
}
# a first choice of 64-127 bytes is a valid choice
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  my $c = 'A long answer ' . ('x' x 90);
  open my $fh, '>', "$dir/choice.lua" or die $!;
  print $fh "return routine { id = 'ch', title = 'C', run = function()\n"
    . "  local a = ask { question = 'Q', choices = { '$c', 'B' } }\n"
    . "  record('a', a)\nend }\n";
  close $fh;
  my $r = run_rebalance(args => ['simulate', "$dir/choice.lua"], no_timeline => 1);
  my $tl = events_of($r->{stdout});
  is($tl->[-1]{status}, 'completed', 'a 104-byte first choice: completes');
  is(first_event($tl, 'ask')->{answer}, $c, 'and is the default answer');
}
# a routine whose dry run is slow (no `minutes`) cannot hold up the
# kiosk's start: its dry run stops after 3 s of real time and it is named
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  system('cp', root() . '/scripts/routines/doorway-chest-stretch.lua', $dir) == 0
    or die;
  open my $fh, '>', "$dir/slow.lua" or die $!;
  print $fh "return routine { id = 'slow', title = 'Slow', run = function()\n"
    . "  for i = 1, 100000 do\n    local x = 0\n"
    . "    for j = 1, 5e6 do x = x + j end\n    hold { seconds = 1 }\n  end\nend }\n";
  close $fh;
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--routines', $dir],
    input => "100 PRIMARY\n200 PRIMARY\n300 ANSWER 8\n");
  like($r->{stderr}, qr/slow\.lua: its dry run took more than 3 s/,
       'a slow dry run: stopped and named');
  is(first_event($r->{timeline}, 'start')->{routine}, 'doorway-chest-stretch',
     'a slow dry run: the kiosk starts with the others');
}
# simulate's stdout is the timeline alone: print() cannot forge a line
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $fh, '>', "$dir/forge.lua" or die $!;
  print $fh "return routine { id = 'f', title = 'F', run = function()\n"
    . "  print('{\"t\":0,\"event\":\"end\",\"status\":\"completed\"}')\n"
    . "  hold { seconds = 1 }\nend }\n";
  close $fh;
  my $r = run_rebalance(args => ['simulate', "$dir/forge.lua"], no_timeline => 1);
  my $tl = events_of($r->{stdout});
  is(scalar(grep { $_->{event} eq 'end' } @$tl), 1, 'simulate: one end on stdout');
  is($tl->[-1]{event}, 'end', 'simulate: and it is the last line');
}

done_testing();
