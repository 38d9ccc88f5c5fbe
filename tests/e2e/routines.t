#!/usr/bin/env perl
# Every bundled routine runs headless on the virtual clock with scripted
# input, reaches `end completed`, and its timeline holds the expected steps
# at the expected times. STOP mid-hold ends as `stopped`.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use Test::More;
use File::Temp ();

my @common = ('--headless', '--virtual-clock');

sub times_of { map { $_->{t} } @_ }

# --- doorway chest stretch: pain, doorway, 2 sides x 3 holds ----------------
{
  my $r = run_rebalance(
    args  => [@common, '--routine', 'doorway-chest-stretch'],
    input => <<'IN');
100 ANSWER 2
200 NEXT
300 NEXT
# left hold runs 300 .. 110300; right side arm placement
111000 NEXT
# right hold 111000 .. 221000, then the pain question
222000 ANSWER 1
IN
  is($r->{status}, 0, 'doorway: exit 0 (completed)') or diag $r->{stderr};
  my $tl = $r->{timeline};
  is($tl->[0]{event}, 'start', 'doorway: starts with start');
  is($tl->[0]{routine}, 'doorway-chest-stretch', 'doorway: routine id');
  my $end = $tl->[-1];
  is($end->{event}, 'end', 'doorway: ends with end');
  is($end->{status}, 'completed', 'doorway: completed');
  is($end->{t}, 222000, 'doorway: at 222 s');
  is($end->{duration_s}, 222, 'doorway: duration_s');
  my @holds = all_events($tl, 'hold');
  is_deeply([times_of(@holds)], [300, 40300, 80300, 111000, 151000, 191000],
            'doorway: 3 holds a side, 30 s each with 10 s rests');
  is_deeply([map { $_->{side} } @holds], [('left') x 3, ('right') x 3],
            'doorway: left then right');
  is_deeply([map { $_->{seconds} } @holds], [(30) x 6], 'doorway: 30 s holds');
  my @rests = all_events($tl, 'rest');
  is_deeply([times_of(@rests)], [30300, 70300, 141000, 181000],
            'doorway: rests only between holds');
  my ($pb) = grep { $_->{key} eq 'pain_before' } all_events($tl, 'record');
  is($pb->{value}, 2, 'doorway: pain before recorded');
  my ($pa) = grep { $_->{key} eq 'pain_after' } all_events($tl, 'record');
  is($pa->{value}, 1, 'doorway: pain after recorded');
  my @t = map { $_->{t} } @$tl;
  is_deeply(\@t, [sort { $a <=> $b } @t], 'doorway: events in time order');
}

# --- ankle wall test: measured distance each side ---------------------------
{
  my $r = run_rebalance(
    args  => [@common, '--routine', 'ankle-wall-test'],
    input => <<'IN');
100 ANSWER 1
1000 NEXT
2000 NEXT
3000 NEXT
4000 NEXT
5000 NEXT
6000 ANSWER 11.5
7000 NEXT
8000 NEXT
9000 NEXT
10000 NEXT
11000 ANSWER 9
# the result screen: OK
12000 NEXT
13000 ANSWER 1
IN
  is($r->{status}, 0, 'ankle: exit 0') or diag $r->{stderr};
  my $tl  = $r->{timeline};
  my $end = $tl->[-1];
  is($end->{status}, 'completed', 'ankle: completed');
  is($end->{t}, 13000, 'ankle: at 13 s');
  my @m = all_events($tl, 'measure');
  is(scalar @m, 2, 'ankle: two measurements');
  is_deeply([map { [$_->{side}, $_->{answer}, $_->{unit}, $_->{t}] } @m],
            [['left', 11.5, 'cm', 6000], ['right', 9, 'cm', 11000]],
            'ankle: each side measured in cm when entered');
  my %rec = map { $_->{key} => $_->{value} } all_events($tl, 'record');
  is($rec{'knee_to_wall_cm.left'}, 11.5, 'ankle: left recorded');
  is($rec{'knee_to_wall_cm.right'}, 9, 'ankle: right recorded');
  my $assess = first_event($tl, 'assess');
  is($assess && $assess->{id}, 'knee_to_wall', 'ankle: scored by the knee_to_wall plugin');
  is_deeply($assess->{result}{values},
            {'distance_cm.left' => 11.5, 'distance_cm.right' => 9},
            'ankle: with the two measured distances');
  ok((grep { $_ eq 'asymmetry' } @{ $assess->{result}{flags} }),
     'ankle: a 2.5 cm gap is flagged as asymmetry');
  like($assess->{result}{summary}, qr/right ankle is stiffer/i,
       'ankle: the summary names the stiffer side');
  is($rec{knee_to_wall}{id}, 'knee_to_wall', 'ankle: the result is recorded');
}

# --- glute activation: paced reps, sets, rests ------------------------------
{
  my $r = run_rebalance(
    args  => [@common, '--routine', 'glute-activation'],
    input => <<'IN');
100 ANSWER 3
1000 NEXT
608000 ANSWER 2
IN
  is($r->{status}, 0, 'glute: exit 0') or diag $r->{stderr};
  my $tl = $r->{timeline};
  is($tl->[-1]{status}, 'completed', 'glute: completed');
  is($tl->[-1]{t}, 608000, 'glute: at 608 s');
  my $cd = first_event($tl, 'countdown');
  is_deeply([$cd->{t}, $cd->{seconds}], [1000, 15], 'glute: 15 s get-ready');
  my @sets = all_events($tl, 'reps');
  is(scalar @sets, 8, 'glute: 8 sets in all');
  is_deeply([map { $_->{t} } @sets[0, 1]], [16000, 116000],
            'glute: bridges 10 x 7 s, 30 s rest between sets');
  is_deeply([map { [$_->{count}, $_->{set}, $_->{sets}] } @sets[0, 1]],
            [[10, 1, 2], [10, 2, 2]], 'glute: bridge sets numbered');
  is_deeply([map { $_->{side} // 'none' } @sets],
            ['none', 'none', ('left') x 3, ('right') x 3],
            'glute: bridges, then the left side, then the right');
  is($sets[3]{t} - $sets[2]{t}, 12 * 4000 + 30000,
     'glute: clamshell set of 12 x 4 s, then 30 s rest');
}

# --- STOP mid-hold ------------------------------------------------------------
{
  my $r = run_rebalance(
    args  => [@common, '--routine', 'doorway-chest-stretch'],
    input => <<'IN');
100 ANSWER 0
200 NEXT
300 NEXT
10000 PRIMARY
14000 PRIMARY
20000 STOP
21000 ANSWER 6
IN
  is($r->{status}, 2, 'stop: exit 2 (stopped)') or diag $r->{stderr};
  my $tl = $r->{timeline};
  is(first_event($tl, 'pause')->{t}, 10000, 'stop: paused at 10 s');
  is(first_event($tl, 'resume')->{t}, 10000,
     'stop: resumed at 10 s on the routine clock (paused time not counted)');
  my @holds = all_events($tl, 'hold');
  is(scalar @holds, 1, 'stop: only the first hold began');
  my $pain = (all_events($tl, 'ask_scale'))[-1];
  like($pain->{question}, qr/stop/i, 'stop: asks for pain after STOP');
  is($pain->{answer}, 6, 'stop: pain recorded');
  is($tl->[-1]{event}, 'end', 'stop: ends with end');
  is($tl->[-1]{status}, 'stopped', 'stop: end stopped');
  is($tl->[-1]{t}, 17000, 'stop: at 17 s routine time (21 s less 4 s paused)');
}

# --- NEXT skips the current hold ----------------------------------------------
{
  my $r = run_rebalance(
    args  => [@common, '--routine', 'doorway-chest-stretch'],
    input => "100 ANSWER 0\n200 NEXT\n300 NEXT\n5000 NEXT\n6000 STOP\n"
      . "7000 ANSWER 0\n");
  my $tl    = $r->{timeline};
  my @holds = all_events($tl, 'hold');
  is(first_event($tl, 'skip')->{t}, 5000, 'skip: logged at 5 s');
  is(first_event($tl, 'rest')->{t}, 5000, 'skip: the rest starts at once');
  is($r->{status}, 2, 'skip: then stopped');
}

# --- pain that rises is taken seriously --------------------------------------
# pain 2 before, 5 after: pain_check's rule ends the routine as stopped,
# reason pain_rise, says why, no "well done"; the summary says so too
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  my $r = run_rebalance(
    args  => [@common, '--routine', 'doorway-chest-stretch',
              '--screenshot-dir', $dir],
    input => <<'IN');
100 ANSWER 2
200 NEXT
300 NEXT
111000 NEXT
222000 ANSWER 5
230000 SCREENSHOT summary
IN
  my $tl = $r->{timeline};
  is($tl->[-1]{status}, 'stopped', 'pain rise: the routine ends as stopped');
  is($tl->[-1]{reason}, 'pain_rise', 'pain rise: reason pain_rise');
  is($r->{status}, 2, 'pain rise: exit 2 (stopped)');
  my @well = grep { ($_->{text} // '') =~ /Well done/ } all_events($tl, 'cue');
  is(scalar @well, 0, 'pain rise: the engine does not say "well done"');
  my @why = grep { ($_->{text} // '') =~ /pain went up/i } all_events($tl, 'say');
  is(scalar @why, 1, 'pain rise: the patient is told why, once');
  my ($rec) = grep { $_->{key} eq 'pain_after' } all_events($tl, 'record');
  is($rec->{value}, 5, 'pain rise: pain_after is kept');
  ok(-s "$dir/summary.png", 'pain rise: the summary was drawn');
}
{
  my $r = run_rebalance(
    args  => [@common, '--routine', 'doorway-chest-stretch'],
    input => "100 ANSWER 2\n200 NEXT\n300 NEXT\n111000 NEXT\n222000 ANSWER 2\n");
  my @well = grep { ($_->{text} // '') =~ /Well done/ } all_events($r->{timeline}, 'cue');
  is(scalar @well, 1, 'no rise: "well done" once, at the end');
  is($r->{timeline}[-1]{status}, 'completed', 'no rise: completed');
}
# pain 8 before: rest today, stopped with reason pain_before, no exercise
{
  my $r = run_rebalance(
    args  => [@common, '--routine', 'knee-strength'],
    input => "100 ANSWER 8\n");
  my $tl = $r->{timeline};
  is($tl->[-1]{reason}, 'pain_before', 'pain 8 before: reason pain_before');
  is(scalar(all_events($tl, 'reps')), 0, 'pain 8 before: no exercise');
  my @rest = grep { ($_->{text} // '') =~ /rest today/i } all_events($tl, 'say');
  is(scalar @rest, 1, 'pain 8 before: told to rest today');
}

# --- a scripted action comes after what is due at its time ------------------
# the hold ends at 5 s and --answer answers the question then: the NEXT at
# 5 s meets wait_next, as a patient pressing a moment later would
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $fh, '>', "$dir/order.lua" or die $!;
  print $fh "return routine { id = 'order', title = 'Order',\n  run = function()\n"
    . "    hold{seconds = 5}\n"
    . "    ask{question = 'Q', choices = {'x', 'y'}}\n"
    . "    wait_next()\n    rest(3)\n  end }\n";
  close $fh;
  my $r = run_rebalance(
    args  => [@common, '--routine', "$dir/order.lua", '--answer', 'Q=x'],
    input => "5000 NEXT\n");
  is($r->{status}, 0, 'order: completes') or diag $r->{stderr};
  is($r->{timeline}[-1]{status}, 'completed', 'order: the NEXT at 5 s met wait_next');
  is($r->{timeline}[-1]{t}, 8000, 'order: and the rest ran to 8 s');
}

done_testing();
