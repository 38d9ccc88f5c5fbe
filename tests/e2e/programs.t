#!/usr/bin/perl
# The bundled programs (docs/programs.md), simulated along their main
# branches: each completes within the minutes it announces, starts and
# ends with pain_check, stops on a pain rise without "well done"; the
# neck program gives the higher shoulder more; the ankle progression,
# run twice on one --state, doses the second run from the first.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Temp ();
use Test::More;

my $dir = root() . '/scripts/routines';

sub sim {
  my ($id, @more) = @_;
  my $r = run_rebalance(args => ['simulate', "$dir/$id.lua", @more],
                        no_timeline => 1);
  return ($r, events_of($r->{stdout}));
}

sub minutes_of {
  my ($id) = @_;
  open my $fh, '<', "$dir/$id.lua" or die $!;
  local $/;
  my $src = <$fh>;
  return $src =~ /^\s*minutes\s*=\s*(\d+)/m ? $1 : 0;
}

for my $id (qw(knee-strength low-back neck-shoulder ankle-progression)) {
  my ($r, $tl) = sim($id);
  is($r->{status}, 0, "$id: simulates") or diag($r->{stderr});
  is($tl->[-1]{status}, 'completed', "$id: completes with default answers");
  my $m = minutes_of($id);
  ok($m > 0 && $m <= 20, "$id: announces its minutes ($m), 20 at most");
  ok($tl->[-1]{duration_s} <= $m * 60,
     "$id: its timed steps fit them ($tl->[-1]{duration_s} s)");
  my @pain = map { $_->{key} } grep { $_->{key} =~ /^pain_/ }
    all_events($tl, 'record');
  is_deeply(\@pain, ['pain_before', 'pain_after'],
            "$id: pain_check before and after");
  my @figs = grep { defined $_->{figure} } all_events($tl, 'show');
  ok(@figs > 0, "$id: shows figures");

  ($r, $tl) = sim($id, '--answer', 'pain_before=2', '--answer', 'pain_after=5');
  is($tl->[-1]{status}, 'stopped', "$id: a rise of 3 stops it");
  is($tl->[-1]{reason}, 'pain_rise', "$id: reason pain_rise");
  my @well = grep { ($_->{text} // '') =~ /well done/i } all_events($tl, 'cue');
  is(scalar @well, 0, "$id: no \"well done\" after a pain rise");

  ($r, $tl) = sim($id, '--answer', 'pain_before=7');
  is($tl->[-1]{reason}, 'pain_before', "$id: pain 7 before: rest today");
  is(scalar(grep { $_->{event} =~ /^(hold|reps)$/ } @$tl), 0,
     "$id: and no exercise");
}

# knee: the therapist's reps, and no more than fits
{
  my ($r, $tl) = sim('knee-strength', '--param', 'reps=12');
  is(first_event($tl, 'reps')->{count}, 12, 'knee: --param reps=12');
  ($r, $tl) = sim('knee-strength', '--param', 'reps=30');
  is(first_event($tl, 'reps')->{count}, 12, 'knee: reps=30 is held to 12');
  ok($tl->[-1]{duration_s} <= 20 * 60, 'knee: still within 20 minutes');
}

# low back: its own tempo words, a bird-dog per side
{
  my ($r, $tl) = sim('low-back');
  my @words = map { $_->{text} } grep { ($_->{kind} // '') eq 'speech' }
    all_events($tl, 'cue');
  ok((grep { /^Round/ } @words) && (grep { /^Sink/ } @words),
     'low back: the cat-camel says Round and Sink');
  my @sides = map { $_->{side} // '' } grep { $_->{count} == 8 }
    all_events($tl, 'reps');
  is_deeply(\@sides, ['left', 'right'], 'low back: a bird-dog each side');
}

# neck: the higher shoulder's side first and held longer
{
  my ($r, $tl) = sim('neck-shoulder', '--answer',
                     'In the mirror, which shoulder sits higher?=Right');
  my @trap = grep { $_->{reps} == 4 || $_->{reps} == 2 }
    grep { $_->{rep} == 1 } all_events($tl, 'hold');
  is_deeply([map { "$_->{side} x$_->{reps}" } @trap],
            ['right x4', 'left x2'],
            'neck: right shoulder higher: right first, 4 holds; left 2');
  ($r, $tl) = sim('neck-shoulder', '--answer',
                  'In the mirror, which shoulder sits higher?=They look level');
  my @level = grep { $_->{rep} == 1 } all_events($tl, 'hold');
  is_deeply([map { $_->{reps} } @level[-2, -1]], [3, 3],
            'neck: level shoulders: 3 holds a side');
}

# ankle: run twice on one store; the second run doses from the first
{
  my $state = File::Temp::tempdir(CLEANUP => 1);
  my ($r, $tl) = sim('ankle-progression', '--state', $state,
                     '--answer', 'Left toe to wall.left=7',
                     '--answer', 'Right toe to wall.right=11');
  is($r->{status}, 0, 'ankle 1: runs with --state') or diag($r->{stderr});
  my %holds = map { $_->{key} => $_->{value} } grep { $_->{key} =~ /^calf_holds/ }
    all_events($tl, 'record');
  is_deeply(\%holds, { 'calf_holds.left' => 3, 'calf_holds.right' => 3 },
            'ankle 1: nothing on record: the standard 3 a side');
  ok(!first_event($tl, 'reps'), 'ankle 1: no calf raises yet');
  ($r, $tl) = sim('ankle-progression', '--state', $state,
                  '--answer', 'Left toe to wall.left=10',
                  '--answer', 'Right toe to wall.right=11');
  %holds = map { $_->{key} => $_->{value} } grep { $_->{key} =~ /^calf_holds/ }
    all_events($tl, 'record');
  is_deeply(\%holds, { 'calf_holds.left' => 5, 'calf_holds.right' => 2 },
            'ankle 2: left 7 cm (stiff, 4 cm shorter): 5; right healthy: 2');
  my @left = grep { ($_->{side} // '') eq 'left' } all_events($tl, 'hold');
  is(scalar @left, 5, 'ankle 2: five left holds were given');
  ($r, $tl) = sim('ankle-progression', '--state', $state);
  ok(first_event($tl, 'reps'),
     'ankle 3: left improved by 3 cm (more than 1.9): calf raises added');
}

# a key no question has is an error, not a silent default
{
  my ($r) = sim('low-back', '--answer', 'pain_befor=3');
  isnt($r->{status}, 0, 'simulate --answer with a typo: fails');
  like($r->{stderr}, qr/no question of this run has the key "pain_befor"/,
       'and names the key');
}

done_testing();
