#!/usr/bin/env perl
# A routine driven by the four GPIO buttons only: no touch, no keys, no
# --input. rebalance_fakegpio is the program over the libgpiod test double
# (tests/hw/fake_gpiod.c), whose script mode (REBALANCE_FAKE_GPIO) replays
# button edges on the real clock. It runs --headless: the buttons need no
# display.
#
# Times in the scripts are ms after the program requests its GPIO lines,
# with wide margins (a shared machine, ASan): each press comes long after
# the routine reached its step. Routine-clock gaps are checked exactly,
# wall-clock ones loosely.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Basename qw(dirname);
use File::Temp qw(tempdir);
use Test::More;

my $main = $ENV{REBALANCE_BIN} // root() . '/build-asan/rebalance';
my $fake = dirname($main) . '/tests/rebalance_fakegpio';
plan skip_all => "no $fake: it is built only with GPIO support (libgpiod "
  . "1.x found: apt-get install libgpiod-dev) and REBALANCE_TESTS=ON"
  unless -x $fake;

my $fixture = root() . '/tests/fixtures/buttons.lua';
my $dir     = tempdir(CLEANUP => 1);
my $conf    = "$dir/rebalance.conf";
open my $cf, '>', $conf or die $!;
print $cf <<'CONF';
gpio.chip = pinctrl-fake
gpio.primary = GPIO17
gpio.next = GPIO27
gpio.back = GPIO22
gpio.stop = GPIO23
gpio.led.primary = GPIO6
gpio.led.next = GPIO13
gpio.led.back = GPIO19
gpio.led.stop = GPIO26
CONF
close $cf;

my %line = (PRIMARY => 'GPIO17', NEXT => 'GPIO27', BACK => 'GPIO22',
            STOP => 'GPIO23');

# press(T, BUTTON): a clean press, released 120 ms later.
sub press {
  my ($t, $b) = @_;
  return "$t $line{$b} press\n" . ($t + 120) . " $line{$b} release\n";
}

# Without --input a headless run lasts until the routine ends: a press
# that goes astray would leave it waiting. A wrapper bounds each run.
my $wrap = "$dir/rebalance_fakegpio";
open my $wf, '>', $wrap or die $!;
print $wf "#!/bin/sh\nexec timeout -k 5 90 '$fake' \"\$@\"\n";
close $wf;
chmod 0755, $wrap or die $!;

# Runs the fixture with this button script; returns run_rebalance's result.
my $nrun = 0;
sub run_buttons {
  my ($script) = @_;
  my $file = "$dir/buttons" . ++$nrun . '.txt';
  open my $fh, '>', $file or die $!;
  print $fh $script;
  close $fh;
  local $ENV{REBALANCE_BIN}      = $wrap;
  local $ENV{REBALANCE_FAKE_GPIO} = $file;
  return run_rebalance(
    args => ['--config', $conf, '--headless', '--routine', $fixture]);
}

sub names { [map { $_->{event} } @_] }

# --- the whole routine with buttons ---------------------------------------
{
  my $r = run_buttons(join '',
    "# pain: the first NEXT shows 0, two more make it 2, PRIMARY confirms\n",
    press(1500, 'NEXT'), press(2000, 'NEXT'), press(2500, 'NEXT'),
    press(3000, 'PRIMARY'),
    "# wait_next, then hold 1 from about 4 s: paused at 4.8 s, resumed at 6 s\n",
    press(4000, 'NEXT'), press(4800, 'PRIMARY'), press(6000, 'PRIMARY'),
    "# hold 1 ends near 7.2 s, rest, hold 2 ends near 10.2 s; three reps\n",
    press(12000, 'NEXT'), press(12500, 'NEXT'), press(13000, 'NEXT'),
    "# Better, Same: PRIMARY confirms Same\n",
    press(14000, 'NEXT'), press(14500, 'NEXT'), press(15000, 'PRIMARY'));
  is($r->{status}, 0, 'buttons: exit 0 (completed, in time)')
    or diag $r->{stderr};
  my $tl = $r->{timeline} // [];
  unlike($r->{stderr}, qr/not delivered|GPIO: /,
         'buttons: every line opened, every edge delivered')
    or diag $r->{stderr};
  is_deeply(names(grep { $_->{event} =~ /^(ask_scale|wait_next|hold|pause|
                                            resume|rest|reps|ask|end)$/x } @$tl),
            [qw(ask_scale wait_next hold pause resume rest hold reps ask end)],
            'buttons: every step, in order');
  my $end = $tl->[-1] // {};
  is($end->{event}, 'end', 'buttons: ends with end');
  is($end->{status}, 'completed', 'buttons: completed');
  my $pain = first_event($tl, 'ask_scale') // {};
  is($pain->{answer}, 2, 'buttons: pain 2 (NEXT x3 from nothing highlighted)');
  my %rec = map { $_->{key} => $_->{value} } all_events($tl, 'record');
  is($rec{pain_before}, 2, 'buttons: pain recorded');
  my @holds = all_events($tl, 'hold');
  my ($pause, $resume, $rest) =
    map { first_event($tl, $_) // {} } qw(pause resume rest);
  is(scalar @holds, 2, 'buttons: two holds');
  SKIP: {
    skip 'not two holds', 5 unless @holds == 2;
    is_deeply([map { [$_->{rep}, $_->{reps}, $_->{seconds}] } @holds],
              [[1, 2, 2], [2, 2, 2]], 'buttons: 2 x 2 s holds');
    is($holds[1]{t} - $holds[0]{t}, 3000,
       'buttons: 2 s hold + 1 s rest on the routine clock (pause not counted)');
    is($rest->{t}, $holds[0]{t} + 2000, 'buttons: the rest after 2 s');
    ok($pause->{t} > $holds[0]{t} && $pause->{t} < $holds[0]{t} + 2000,
       'buttons: PRIMARY paused during the first hold')
      or diag "pause at $pause->{t}, hold at $holds[0]{t}";
    is($resume->{t}, $pause->{t},
       'buttons: PRIMARY resumed (the routine clock stood still)');
  }
  my $set = first_event($tl, 'reps') // {};
  is($set->{count}, 3, 'buttons: a set of 3 reps');
  ok(@holds == 2 && $set->{t} >= $holds[1]{t} + 2000,
     'buttons: the reps after the second hold');
  my $ask = first_event($tl, 'ask') // {};
  my @last = grep {
    $_->{t} > ($set->{t} // 0) && $_->{t} < ($ask->{t} // 0)
      && ($_->{text} // '') =~ /last/i
  } all_events($tl, 'cue');
  is(scalar(@last), 1, 'buttons: NEXT counted reps (the last-one cue)')
    or diag explain [all_events($tl, 'cue')];
  ok(($ask->{t} // 0) - ($set->{t} // 0) > 500,
     'buttons: the question only after the third NEXT');
  is($ask->{answer}, 'Same', 'buttons: NEXT, NEXT, PRIMARY chose Same');
  is($rec{feel}, 'Same', 'buttons: the choice recorded');
  my @t = map { $_->{t} } @$tl;
  is_deeply(\@t, [sort { $a <=> $b } @t], 'buttons: events in time order');
}

# --- a bouncy NEXT counts once ----------------------------------------------
{
  my $r = run_buttons(join '',
    "# contact bounce: five edges in 8 ms, and again on release\n",
    "1500 GPIO27 press\n1502 GPIO27 release\n1504 GPIO27 press\n",
    "1506 GPIO27 release\n1508 GPIO27 press\n",
    "1700 GPIO27 release\n1702 GPIO27 press\n1705 GPIO27 release\n",
    press(2200, 'NEXT'), press(2700, 'PRIMARY'),
    "# then STOP at wait_next, pain 0 after STOP\n",
    press(3500, 'STOP'), press(4500, 'NEXT'), press(5000, 'PRIMARY'));
  is($r->{status}, 2, 'bounce: exit 2 (stopped)') or diag $r->{stderr};
  my $tl   = $r->{timeline} // [];
  my @asks = all_events($tl, 'ask_scale');
  is($asks[0]{answer}, 1,
     'bounce: the bouncy NEXT showed 0 once, one more NEXT made it 1');
  is($asks[1]{answer}, 0, 'bounce: the pain after STOP');
  is(($tl->[-1] // {})->{status}, 'stopped', 'bounce: end stopped');
}

# --- STOP mid-hold, the pain question answered with buttons --------------------
{
  my $r = run_buttons(join '',
    press(1500, 'NEXT'), press(2000, 'PRIMARY'), press(3000, 'NEXT'),
    "# hold 1 from about 3 s: STOP at 4 s (released before a long press)\n",
    press(4000, 'STOP'),
    "# a blind PRIMARY confirms nothing; NEXT x4 is 3; PRIMARY\n",
    press(5000, 'PRIMARY'), press(5500, 'NEXT'), press(6000, 'NEXT'),
    press(6500, 'NEXT'), press(7000, 'NEXT'), press(7500, 'PRIMARY'));
  is($r->{status}, 2, 'stop: exit 2 (stopped)') or diag $r->{stderr};
  my $tl    = $r->{timeline} // [];
  my @holds = all_events($tl, 'hold');
  is(scalar @holds, 1, 'stop: only the first hold began');
  my @asks = all_events($tl, 'ask_scale');
  is($asks[0]{answer}, 0, 'stop: pain before 0');
  is(scalar @asks, 2, 'stop: asked for pain again after STOP');
  like($asks[1]{question} // '', qr/stop/i, 'stop: the question after STOP');
  is($asks[1]{answer}, 3,
     'stop: the blind PRIMARY answered nothing; NEXT x4, PRIMARY gave 3');
  ok(!first_event($tl, 'rest'), 'stop: the hold did not run on');
  my $end = $tl->[-1] // {};
  is($end->{event}, 'end', 'stop: ends with end');
  is($end->{status}, 'stopped', 'stop: end stopped');
}

done_testing();
