#!/usr/bin/env perl
# Results that last (--state): a routine run twice reads the first run's
# values through history(); param() takes what `rebalance patients set`
# gave the patient, and --param over it; the kiosk and the terminal keep
# their sessions; `rebalance patients` manages who exercises.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Basename qw(dirname);
use File::Temp ();
use Test::More;

$ENV{SDL_AUDIODRIVER} = 'dummy';
my $root  = root();
my $state = File::Temp::tempdir(CLEANUP => 1);
my $reach = "$root/tests/fixtures/reach.lua";

sub simulate {
  my (@more) = @_;
  return run_rebalance(args => ['simulate', $reach, '--state', $state, @more],
                       no_timeline => 1);
}

sub said {
  my $r = shift;
  my ($s) = grep { $_->{event} eq 'say' } @{ events_of($r->{stdout}) };
  return $s ? $s->{text} : '';
}

sub recorded {
  my ($r, $key) = @_;
  my ($e) = grep { $_->{event} eq 'record' && $_->{key} eq $key }
    @{ events_of($r->{stdout}) };
  return $e ? $e->{value} : undef;
}

# --- history across runs -------------------------------------------------------
{
  my $r1 = simulate();
  is($r1->{status}, 0, 'first run completes') or diag($r1->{stderr});
  is(said($r1), 'Last time none, 0 before, first', 'first run: no history');
  my $r2 = simulate();
  is(said($r2), 'Last time 10, 1 before, completed',
     'second run: history() and last_session() read the first');
  is(recorded($r2, 'reach_cm'), 11, 'second run: and acts on it');
  my ($rec) = grep { $_->{event} eq 'record' && $_->{key} eq 'reach_cm' }
    @{ events_of($r2->{stdout}) };
  is($rec->{label} . '|' . $rec->{unit}, 'Reach|cm',
     'record keeps label and unit in the timeline');
  my $plain = run_rebalance(args => ['simulate', $reach], no_timeline => 1);
  is(said($plain), 'Last time none, 0 before, first',
     'without --state, simulate reads and keeps nothing');
}

# --- param ---------------------------------------------------------------------
{
  my $r = run_rebalance(args => ['patients', 'set', 'default', 'reach.hold_s=45',
                                 'reach.progress=no', '--state', $state],
                        no_timeline => 1);
  is($r->{status}, 0, 'patients set: a parameter') or diag($r->{stderr});
  $r = simulate();
  is(recorded($r, 'hold_used'), 45, 'param: the value set for the patient');
  ok(!recorded($r, 'progress_used'), 'param: a yes/no setting as a boolean');
  $r = simulate('--param', 'hold_s=20');
  is(recorded($r, 'hold_used'), 20, 'param: --param over it');
  $r = simulate('--param', 'reach.hold_s=25');
  is(recorded($r, 'hold_used'), 25, 'param: --param ROUTINE.NAME too');
  run_rebalance(args => ['patients', 'set', 'default', 'reach.hold_s=lots',
                         '--state', $state], no_timeline => 1);
  $r = simulate();
  is(recorded($r, 'hold_used'), 30, 'param: a value of the wrong type: the default');
  like($r->{stderr}, qr/reach\.lua:\d+: param\("hold_s"\): the value set, 'lots', is not a (whole )?number/,
       'param: and it says so with FILE:LINE');
  $r = simulate('--param', 'hold_s=22.5');
  is(recorded($r, 'hold_used'), 30,
     'param: a fraction for a whole-number default: the default');
  like($r->{stderr}, qr/param\("hold_s"\): the value set, '22\.5'/,
       'param: and it says so');
}

# --- the kiosk and the terminal keep their sessions -----------------------------
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--state', $dir, '--routine',
             'doorway-chest-stretch', '--answer', 'pain_before=3',
             '--answer', 'pain_after=2'],
    input => "100 NEXT\n200 NEXT\n150000 NEXT\n");
  is($r->{status}, 0, 'kiosk: the routine completes') or diag($r->{stderr});
  open my $fh, '>', "$dir/pain.lua" or die $!;
  print $fh <<'LUA';
return routine { id = "pain-look", title = "Pain look",
  run = function()
    local p = history("pain_before", 3)
    assert(#history("pain_before", 0) == 1 and #history("pain_before", 1e9) >= 1)
    local l = last_session("doorway-chest-stretch")
    say((p[1] and p[1].value or "none") .. " " .. (l and l.status or "no session")
        .. " " .. (p[1] and p[1].days_ago or "-"))
  end }
LUA
  close $fh;
  my $look = run_rebalance(args => ['simulate', "$dir/pain.lua", '--state', $dir],
                           no_timeline => 1);
  is(said($look), '3 completed 0', 'kiosk: its session and values were kept');
  my $t = run_rebalance(
    args => ['--terminal', '--virtual-clock', '--state', $dir, '--routine',
             'doorway-chest-stretch'],
    stdin => "5\n\n\n\n\n4\n");
  is($t->{status}, 0, 'terminal: completes');
  $look = run_rebalance(args => ['simulate', "$dir/pain.lua", '--state', $dir],
                        no_timeline => 1);
  is(said($look), '5 completed 0', 'terminal: its session was kept too');
}

# --- patients ------------------------------------------------------------------
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  my $p = sub {
    return run_rebalance(args => ['patients', @_, '--state', $dir], no_timeline => 1);
  };
  like($p->()->{stdout}, qr/No patients yet/, 'patients: none at first');
  is($p->('add', 'Ann')->{status}, 0, 'patients: add');
  is($p->('add', 'Bob')->{status}, 0, 'patients: add another');
  my $r = $p->('add', 'Ann');
  is($r->{status}, 1, 'patients: twice is refused');
  like($r->{stderr}, qr/Ann is already there/, 'patients: saying why');
  is($p->('set', 'Ann', 'pin=1234', 'language=de', 'reach.days=3')->{status}, 0,
     'patients: set PIN, language, a plan');
  $r = $p->();
  like($r->{stdout}, qr/Ann\s+language de\s+\(PIN set\)\n\s+reach: 3 days a week/,
       'patients: listed with their plan');
  $r = $p->('set', 'Ann', 'reach.days=9');
  is($r->{status}, 1, 'patients: a bad value is refused');
  $r = $p->('frobnicate');
  is($r->{status}, 2, 'patients: a wrong command is a usage error');
  $r = run_rebalance(args => ['simulate', $reach, '--state', $dir], no_timeline => 1);
  is($r->{status}, 2, 'simulate: with two patients, says to choose');
  like($r->{stderr}, qr/several patients: say which with --patient/, 'and how');
  $r = run_rebalance(args => ['simulate', $reach, '--state', $dir, '--patient', 'Bob'],
                     no_timeline => 1);
  is($r->{status}, 0, 'simulate: --patient chooses');
  $r = run_rebalance(args => ['simulate', $reach, '--state', $dir, '--patient', 'Zed'],
                     no_timeline => 1);
  is($r->{status}, 2, 'simulate: --patient of nobody is refused');
  is($p->('remove', 'Bob')->{status}, 0, 'patients: remove');
  unlike($p->()->{stdout}, qr/Bob/, 'patients: no longer listed');
}

# --- a kiosk shared by two: who is exercising, first ---------------------------
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  for my $name ('Ann', 'Bob') {
    run_rebalance(args => ['patients', 'add', $name, '--state', $dir], no_timeline => 1);
  }
  my $shots = File::Temp::tempdir(CLEANUP => 1);
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--size', '800x480', '--state', $dir,
             '--screenshot-dir', $shots],
    input => "100 SCREENSHOT who\n200 TAP 595 165\n300 SCREENSHOT home\n400 QUIT\n");
  ok(-s "$shots/who.png", 'shared kiosk: the names are shown first');
  like($r->{stderr}, qr/patient 2 is exercising/, 'shared kiosk: a touch on a name chooses');
  my $d = `'@{[dirname(bin())]}/tests/pngstat' '$shots/who.png' '$shots/home.png'`;
  my @f = split ' ', $d;
  ok(@f >= 5 && $f[4] > 1, 'shared kiosk: then home');

  # Bob chooses, runs a routine: it is kept as his, not Ann's
  my $routines = File::Temp::tempdir(CLEANUP => 1);
  system('cp', $reach, "$routines/reach.lua") == 0 or die;
  $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--size', '800x480', '--state', $dir,
             '--routines', $routines, '--screenshot-dir', $shots],
    input => "100 TAP 595 165\n200 SCREENSHOT bob-home\n300 TAP 200 160\n"
      . "400 SCREENSHOT bob-intro\n500 TAP 600 410\n900 QUIT\n");
  like($r->{stderr}, qr/starting .*reach\.lua/, 'shared kiosk: Bob starts a routine')
    or diag($r->{stderr});
  my $as = sub {
    my $who = shift;
    my $x = run_rebalance(args => ['simulate', $reach, '--state', $dir, '--patient', $who],
                          no_timeline => 1);
    my ($s) = grep { $_->{event} eq 'say' } @{ events_of($x->{stdout}) };
    return $s ? $s->{text} : '';
  };
  like($as->('Bob'), qr/^Last time 10, 1 before/, 'shared kiosk: kept as Bob\'s');
  like($as->('Ann'), qr/^Last time none, 0 before/, 'shared kiosk: not as Ann\'s');
}

# --- a store that cannot be made: the coach goes on ----------------------------
{
  my $r = run_rebalance(
    args => ['simulate', $reach, '--state', '/proc/no/such/place']);
  is($r->{status}, 0, 'a store that cannot be made: the routine still runs');
  like($r->{stderr}, qr{results store: /proc/no/such/place: cannot make the folder},
       'and it says why');
}
done_testing();
