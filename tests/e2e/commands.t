#!/usr/bin/env perl
# The therapist's commands: check and simulate, and the terminal coach.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use Test::More;
use File::Temp ();

my $root = root();
my $fx   = "$root/tests/fixtures";
my @bundled = glob("$root/scripts/routines/*.lua");
ok(@bundled >= 3, 'three or more bundled routines');

# --- check ---------------------------------------------------------------------
{
  my $r = run_rebalance(args => ['check', @bundled], no_timeline => 1);
  is($r->{status}, 0, 'check: the bundled routines pass') or diag $r->{stdout};
  for my $f (@bundled) {
    like($r->{stdout}, qr/^\Q$f\E: ok/m, "check: $f ok");
  }
}
{
  my @bad = map { "$fx/$_" } qw(syntax_error.lua no_run.lua negative_hold.lua);
  my $r = run_rebalance(args => ['check', $bundled[0], @bad], no_timeline => 1);
  is($r->{status}, 1, 'check: exit 1 when any file has a problem');
  like($r->{stdout}, qr/^\Q$fx\E\/syntax_error\.lua:8: /m, 'check: syntax error at line 8');
  like($r->{stdout}, qr/^\Q$fx\E\/no_run\.lua:1: .*run is required/m, 'check: missing run');
  like($r->{stdout}, qr/^\Q$fx\E\/negative_hold\.lua:6: hold: seconds/m,
       'check: hold{seconds=-5} found by the dry run, at its line');
  like($r->{stdout}, qr/^\Q$bundled[0]\E: ok/m, 'check: good files still reported ok');
  my @lines = grep { /:\d+: / } split /\n/, $r->{stdout};
  is(scalar @lines, 3, 'check: one FILE:LINE line per problem');
}
{
  my $r = run_rebalance(args => ['check', "$fx/does_not_exist.lua"], no_timeline => 1);
  is($r->{status}, 1, 'check: a missing file is a problem');
  like($r->{stdout} . $r->{stderr}, qr/does_not_exist\.lua/, 'check: naming it');
}

# --- simulate ------------------------------------------------------------------
for my $f (@bundled) {
  my $r  = run_rebalance(args => ['simulate', $f], no_timeline => 1);
  my $tl = eval { events_of($r->{stdout}) };
  ok($tl && @$tl, "simulate $f: JSON lines on stdout") or diag $@;
  is($tl->[0]{event}, 'start', "simulate $f: start first");
  is($tl->[-1]{event}, 'end', "simulate $f: ends with the end event");
  is($tl->[-1]{status}, 'completed', "simulate $f: completed");
  is($r->{status}, 0, "simulate $f: exit 0");
  my @t = map { $_->{t} } @$tl;
  is_deeply(\@t, [sort { $a <=> $b } @t], "simulate $f: in time order");
  ok(!(grep { !defined $_->{t} || !defined $_->{event} } @$tl),
     "simulate $f: every line has t and event");
}
{
  my $f = "$root/scripts/routines/doorway-chest-stretch.lua";
  my $r = run_rebalance(args => ['simulate', $f], no_timeline => 1);
  my $tl = events_of($r->{stdout});
  is($tl->[-1]{t}, 220000, 'simulate: the doorway stretch takes 220 s of holds and rests');
  is(first_event($tl, 'ask_scale')->{answer}, 0, 'simulate: default scale answer is the minimum');
  $r = run_rebalance(
    args => ['simulate', $f, '--answer', 'pain_before=8'],
    no_timeline => 1);
  $tl = events_of($r->{stdout});
  is(first_event($tl, 'ask_scale')->{answer}, 8, 'simulate --answer: by its key');
  is(scalar(all_events($tl, 'hold')), 0, 'simulate --answer: severe pain skips the stretch');
  is($tl->[-1]{status}, 'stopped', 'simulate --answer: stopped by the pain rule');
  is($tl->[-1]{reason}, 'pain_before', 'simulate --answer: reason pain_before');
}
{
  my $f = "$root/scripts/routines/ankle-wall-test.lua";
  my $r = run_rebalance(
    args => ['simulate', $f, '--answer', 'Left toe to wall=12',
             '--answer', 'Right toe to wall.right=9.5'],
    no_timeline => 1);
  my %rec = map { $_->{key} => $_->{value} } all_events(events_of($r->{stdout}), 'record');
  is($rec{'knee_to_wall_cm.left'}, 12, 'simulate --answer: a measurement by name');
  is($rec{'knee_to_wall_cm.right'}, 9.5, 'simulate --answer: NAME.SIDE');
}
{
  my $r = run_rebalance(args => ['simulate', "$fx/negative_hold.lua"], no_timeline => 1);
  is($r->{status}, 1, 'simulate: exit 1 on an error');
  my $tl = events_of($r->{stdout});
  is($tl->[-1]{status}, 'error', 'simulate: end error');
  like($tl->[-1]{error}, qr/negative_hold\.lua:6: /, 'simulate: with FILE:LINE');
  like($r->{stderr}, qr/negative_hold\.lua:6: /, 'simulate: and on stderr');
}

# --- terminal coach --------------------------------------------------------------
{
  my $r = run_rebalance(
    args  => ['--terminal', '--routine', 'doorway-chest-stretch', '--virtual-clock'],
    stdin => "2\n\n\n\n\n\n1\n");
  is($r->{status}, 0, 'terminal: completes from lines of input');
  like($r->{stdout}, qr/HOLD 3 of 3\s+\[RIGHT SIDE\]/, 'terminal: shows holds and sides');
  like($r->{stdout}, qr/Well done/, 'terminal: ends well');
  is($r->{timeline}[-1]{status}, 'completed', 'terminal: timeline end completed');
  my @holds = all_events($r->{timeline}, 'hold');
  is(scalar @holds, 6, 'terminal: all six holds ran (lines wait for the patient)');
}
{
  my $r = run_rebalance(
    args  => ['--terminal', '--routine', 'doorway-chest-stretch', '--virtual-clock'],
    stdin => "0\n\n\ns\n5\n");
  is($r->{status}, 2, 'terminal: s stops');
  is($r->{timeline}[-1]{status}, 'stopped', 'terminal: end stopped');
}

# the menu and the routine read from one pipe: the menu must not swallow
# the lines meant for the routine (stdio buffering did)
{
  my $r = run_rebalance(args => ['--terminal', '--virtual-clock'],
                        stdin => "3\n3\n\n\n\n\n\n\n\n2\n");
  is($r->{status}, 0, 'terminal menu: picks routine 3 and completes it');
  like($r->{stdout}, qr/Which one\?/, 'terminal menu: lists and asks');
  is(first_event($r->{timeline}, 'start')->{routine}, 'doorway-chest-stretch',
     'terminal menu: the third routine (sorted by id)');
}

# --- QUIT from scripted input ends a kiosk on the real clock -----------------------
{
  my $r = run_rebalance(args => ['--headless'], input => "0 NEXT\n300 QUIT\n");
  is($r->{status}, 0, 'QUIT: the kiosk exits (it used to sleep forever)');
}

# --- rotate = 90|180|270 turns drawing and touch together ------------------------
# On an 800x480 panel, a tap meant for the upright canvas point (cx, cy),
# the first home card, arrives at the window point the panel turned it to.
{
  my %tap = (90 => [799 - 150, 240], 180 => [799 - 200, 479 - 150],
             270 => [150, 479 - 240]);
  my %cx = (90 => [240, 150], 180 => [200, 150], 270 => [240, 150]);
  for my $deg (90, 180, 270) {
    my $dir = File::Temp::tempdir(CLEANUP => 1);
    open my $fh, '>', "$dir/rebalance.conf" or die $!;
    print $fh "rotate = $deg\n";
    close $fh;
    my ($x, $y) = @{ $tap{$deg} };
    my $r = run_rebalance(
      args => ['--config', "$dir/rebalance.conf", '--headless', '--virtual-clock',
               '--size', '800x480', '--screenshot-dir', $dir],
      input => "0 SCREENSHOT home\n100 TAP $x $y\n200 PRIMARY\n300 STOP\n400 ANSWER 1\n");
    is($r->{status}, 2, "rotate $deg: runs (and is stopped)");
    my $start = first_event($r->{timeline}, 'start');
    is($start && $start->{routine}, 'ankle-progression',
       "rotate $deg: a tap at window ($x,$y) opens the first card");
    open my $png, '<:raw', "$dir/home.png" or die $!;
    read $png, my $head, 24;
    my ($w, $h) = unpack 'x16 N N', $head;
    is("${w}x$h", $deg == 180 ? '800x480' : '480x800',
       "rotate $deg: the screens are laid out upright");
  }
}

# --- stopped mid-routine (SIGTERM is QUIT to SDL): the timeline has its end
{
  my $r = run_rebalance(args => ['--headless', '--routine', 'doorway-chest-stretch'],
                        input => "100 ANSWER 1\n200 NEXT\n300 NEXT\n600 QUIT\n");
  my $end = $r->{timeline}[-1];
  is($end->{event}, 'end', 'quit mid-hold: the timeline ends with end');
  is($end->{status}, 'error', 'quit mid-hold: as an error');
  like($end->{error}, qr/stopped during the routine/, 'quit mid-hold: saying why');
}

# --- command line mistakes ----------------------------------------------------------
{
  my $r = run_rebalance(args => ['--bogus'], no_timeline => 1);
  is($r->{status}, 2, 'unknown option: exit 2');
  like($r->{stderr}, qr/unknown option --bogus/, 'unknown option named');
  $r = run_rebalance(args => ['--headless', '--routine', 'no-such-routine'],
                     no_timeline => 1);
  is($r->{status}, 1, 'unknown routine: exit 1');
  like($r->{stderr}, qr/no-such-routine/, 'unknown routine named');
}

# --- accepted, but not in effect yet: said, never silently taken -----------------
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $fh, '>', "$dir/fig.lua" or die $!;
  print $fh "return routine { id = 'fig', title = 'Fig',\n  run = function()\n"
    . "    show{title = 'Bridge', figure = 'glute_bridge'}\n"
    . "    show{title = 'Again', figure = 'glute_bridge'}\n  end }\n";
  close $fh;
  my $r = run_rebalance(args => ['simulate', "$dir/fig.lua"], no_timeline => 1);
  is($r->{status}, 0, 'show{figure}: the routine runs');
  unlike($r->{stderr}, qr/not drawn yet/,
         'show{figure}: figures are drawn now: nothing said of them');
  like($r->{stdout}, qr/"figure"\s*:\s*"glute_bridge"/,
       'show{figure}: the timeline has the figure');
  $r = run_rebalance(args => ['--headless', '--virtual-clock', '--state', $dir,
                              '--routine', "$dir/fig.lua"]);
  ok(-s "$dir/rebalance.db", '--state: the results store is made there');
}

done_testing();
