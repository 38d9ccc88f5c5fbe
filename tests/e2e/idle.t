#!/usr/bin/env perl
# Idle: after idle_timeout_s without input outside a running routine the
# coach goes home and dims (a fake sysfs backlight; with none, the
# picture); the press that wakes it does nothing else; a routine running
# is never idle. On the virtual clock: time jumps to the moment.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use Test::More;
use File::Basename ();
use File::Temp ();

my $work = File::Temp::tempdir(CLEANUP => 1);
my $pngstat = File::Basename::dirname(bin()) . '/tests/pngstat';

sub spew { my ($f, $t) = @_; open my $fh, '>', $f or die "$f: $!"; print $fh $t; close $fh }
sub slurp1 { my ($f) = @_; open my $fh, '<', $f or return ''; local $/; my $t = <$fh>; $t =~ s/\s+$//; return $t }

# a backlight as sysfs has it: class/NAME -> devices/NAME
my $sys = "$work/sys";
mkdir "$sys"; mkdir "$sys/devices"; mkdir "$sys/devices/panel"; mkdir "$sys/class";
spew("$sys/devices/panel/max_brightness", "255\n");
spew("$sys/devices/panel/brightness", "255\n");
symlink("$sys/devices/panel", "$sys/class/panel") or die $!;

# --- with a backlight -------------------------------------------------------------
{
  spew("$work/bl.conf", "idle_timeout_s = 60\nbacklight = $sys/class\n"
       . "brightness = 80\ndim_brightness = 10\n");
  my $shots = "$work/shots";
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--config', "$work/bl.conf",
             '--state', "$work/state", '--screenshot-dir', $shots],
    input => "100 SCREENSHOT start\n200 PRIMARY\n300 SCREENSHOT intro\n"
      . "70000 SCREENSHOT idle\n71000 NEXT\n71100 SCREENSHOT awake\n");
  is($r->{status}, 0, 'runs') or diag($r->{stderr});
  like($r->{stderr}, qr/idle: 60 s without input: home, dimmed/,
       'after 60 s without input: home, dimmed');
  like($r->{stderr}, qr/idle: woken/, 'a press wakes it');
  my @starts = all_events($r->{timeline}, 'start');
  is(scalar @starts, 0, 'the waking press did nothing else (no routine started)');
  # 80 % of 255 over the 5 % floor; 10 % while dim
  my $b = slurp1("$sys/devices/panel/brightness");
  ok($b > 190 && $b < 215, "awake: the backlight at 80 % again ($b of 255)");
  my $d = (split ' ', `$pngstat $shots/start.png $shots/awake.png`)[4];
  ok(defined $d && $d < 1, 'awake: the home screen as it was')
    or diag("difference $d");
  $d = (split ' ', `$pngstat $shots/intro.png $shots/idle.png`)[4];
  ok(defined $d && $d > 1, 'idle: not the intro any more: home');
}

# --- the level while dim, seen from outside ------------------------------------
{
  spew("$sys/devices/panel/brightness", "255\n");
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--config', "$work/bl.conf",
             '--state', "$work/state2"],
    input => "61000 STALL 1\n");
  my $b = slurp1("$sys/devices/panel/brightness");
  ok($b >= 13 && $b <= 40, "dim: the backlight at 10 % ($b of 255)");
}

# --- without a backlight: the picture dims -------------------------------------------
{
  spew("$work/off.conf", "idle_timeout_s = 30\nbacklight = off\n");
  my $shots = "$work/shots-off";
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--config', "$work/off.conf",
             '--state', "$work/state3", '--screenshot-dir', $shots],
    input => "100 SCREENSHOT start\n40000 SCREENSHOT idle\n41000 UP\n"
      . "41100 SCREENSHOT awake\n");
  my $d = (split ' ', `$pngstat $shots/start.png $shots/idle.png`)[4];
  ok(defined $d && $d > 10, 'no backlight: the idle picture is darkened')
    or diag("difference " . ($d // 'none'));
  $d = (split ' ', `$pngstat $shots/start.png $shots/awake.png`)[4];
  ok(defined $d && $d < 1, 'no backlight: and bright again once woken');
}

# --- a routine running is never idle -------------------------------------------------
{
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--config', "$work/off.conf",
             '--state', "$work/state4", '--routine', 'doorway-chest-stretch',
             '--answer', 'pain_before=3',
             '--answer', 'pain_after=2'],
    input => "100 NEXT\n200 NEXT\n111000 NEXT\n");
  my ($end) = all_events($r->{timeline}, 'end');
  is($end && $end->{status}, 'completed',
     'a 4-minute routine with 30 s idle_timeout_s completes (its holds run '
     . 'for minutes without input)');
  unlike($r->{stderr}, qr/idle: \d+ s without input/,
         'and the kiosk never went idle during it');
}

# --- a patient who walked away ---------------------------------------------------------
{
  # the routine waits for NEXT at 110.2 s (the other side); nobody comes
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--config', "$work/off.conf",
             '--state', "$work/state5", '--routine', 'doorway-chest-stretch',
             '--answer', 'pain_before=3'],
    input => "100 NEXT\n200 NEXT\n150000 NEXT\n");
  my ($end) = all_events($r->{timeline}, 'end');
  is($end && $end->{status}, 'stopped',
     'waiting for the patient longer than idle_timeout_s: the session ends');
  is($end && $end->{reason}, 'idle', 'as stopped, the reason idle');
  ok($end && $end->{t} >= 140000 && $end->{t} < 141000,
     'idle_timeout_s after it began to wait') or diag($end && $end->{t});
  my $csv = run_rebalance(args => ['export', '--format', 'csv', '--state',
                                   "$work/state5"], no_timeline => 1)->{stdout};
  like($csv, qr/doorway-chest-stretch,[^\n]*,stopped,idle,pain_before/,
       'the session is kept, stopped for idle, with what was answered');
}

done_testing();
