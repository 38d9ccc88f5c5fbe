#!/usr/bin/env perl
# assess(id) end to end with the bundled plugins: fields answered with
# --answer ID.FIELD.SIDE, the result recorded and returned to the routine,
# the result screen drawn, and bad calls ending with FILE:LINE.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Temp ();
use Test::More;

my $root = root();
my $routines = "$root/scripts/routines";

# --- simulate answers the leg raise's fields per side ----------------------------
{
  my $r = run_rebalance(
    args => ['simulate', "$routines/hip-leg-raise-test.lua",
             '--answer', 'doorway_leg_raise.reached_90.left=No',
             '--answer', 'doorway_leg_raise.knee_bent.left=Yes',
             '--answer', 'doorway_leg_raise.other_foot_turned_out=No',
             '--answer', 'doorway_leg_raise.reached_90.right=Yes',
             '--answer', 'doorway_leg_raise.knee_bent.right=No'],
    no_timeline => 1);
  is($r->{status}, 0, 'hip: simulate completes') or diag $r->{stderr};
  my $tl = events_of($r->{stdout});
  my $a  = first_event($tl, 'assess');
  is($a && $a->{id}, 'doorway_leg_raise', 'hip: an assess event');
  is_deeply($a->{result}{values},
            {'reached_90.left' => JSON::PP::false, 'reached_90.right' => JSON::PP::true,
             'knee_bent.left' => JSON::PP::true, 'knee_bent.right' => JSON::PP::false,
             'other_foot_turned_out.left' => JSON::PP::false,
             'other_foot_turned_out.right' => JSON::PP::false},
            'hip: ID.FIELD.SIDE and ID.FIELD answers reach the plugin');
  my %flags = map { $_ => 1 } @{ $a->{result}{flags} };
  ok($flags{fail_left} && $flags{asymmetry} && !$flags{fail_right},
     'hip: the left side fails, the sides differ');
  ok(length($a->{result}{summary}) > 40, 'hip: a plain-language summary');
  my ($rec) = grep { $_->{key} eq 'doorway_leg_raise' } all_events($tl, 'record');
  is($rec && $rec->{value}{id}, 'doorway_leg_raise',
     'hip: assess() returned the result to the routine, which recorded it');
  my @asked = grep { ($_->{question} // '') ne '' } all_events($tl, 'ask');
  is(scalar @asked, 6, 'hip: three yes/no questions per side were asked');
  # side by side: the left leg's three answers, then the right leg's, each
  # event naming its side, each question saying its side aloud
  is(join(',', map { $_->{side} // '-' } @asked), 'left,left,left,right,right,right',
     'hip: the left side is asked first, then the right, each event with its side');
  my @said = map { $_->{text} } grep { ($_->{kind} // '') eq 'speech' } all_events($tl, 'cue');
  my @ask_said = grep { /turn out|reach the wall|have to bend/ } @said;
  is(scalar(grep { /^Left side\. / } @ask_said), 3, 'hip: the left questions say "Left side"');
  is(scalar(grep { /^Right side\. / } @ask_said), 3, 'hip: the right questions say "Right side"');
  my @order = map { $_->{event} eq 'ask' ? "ask-$_->{side}" : 'right-intro' }
    grep { $_->{event} eq 'ask' || ($_->{event} eq 'cue' && ($_->{text} // '') =~ /^Right side\. Lie/) } @$tl;
  is(join(',', @order), 'ask-left,ask-left,ask-left,right-intro,ask-right,ask-right,ask-right',
     'hip: the right leg is introduced after the left answers, before its own');
}

# --- posture: choices, defaults are a clean result -------------------------------
{
  my $r = run_rebalance(args => ['simulate', "$routines/posture-check.lua"],
                        no_timeline => 1);
  my $a = first_event(events_of($r->{stdout}), 'assess');
  is($a && $a->{result}{values}{higher_shoulder}, 'level',
     'posture: the default answer is "level"');
  # yes/no defaults to its first choice, "Yes", as DESIGN.md says
  is_deeply($a->{result}{flags}, ['head_forward'],
            'posture: level shoulders and hips give no flags of their own');
  $r = run_rebalance(args => ['simulate', "$routines/posture-check.lua",
                              '--answer', 'posture_mirror.higher_shoulder=left',
                              '--answer', 'posture_mirror.head_forward=Yes'],
                     no_timeline => 1);
  $a = first_event(events_of($r->{stdout}), 'assess');
  like($a->{result}{summary}, qr/headache/i, 'posture: a forward head is explained');
}

# --- the ankle routine's result screen -------------------------------------------
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--routine', 'ankle-wall-test',
             '--screenshot-dir', $dir,
             '--answer', 'pain_before=1',
             '--answer', 'Left toe to wall=12', '--answer', 'Right toe to wall=9.5',
             '--answer', 'pain_after=1'],
    input => join('', map { ($_ * 1000) . " NEXT\n" } 1 .. 9)
      . "9500 SCREENSHOT result\n10000 NEXT\n");
  is($r->{status}, 0, 'ankle: completes') or diag $r->{stderr};
  my $a = first_event($r->{timeline}, 'assess');
  ok((grep { $_ eq 'asymmetry' } @{ $a->{result}{flags} }), 'ankle: 12 and 9.5 cm: asymmetry');
  ok(-s "$dir/result.png" > 5000, 'ankle: the result screen was drawn');
}

# --- bad calls end with FILE:LINE -------------------------------------------------
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $fh, '>', "$dir/bad.lua" or die $!;
  print $fh <<'LUA';
return routine { id = "bad", title = "Bad",
  run = function()
    assess("knee_to_wall", { values = { ["distance_cm.middle"] = 3 } })
  end }
LUA
  close $fh;
  my $r = run_rebalance(args => ['simulate', "$dir/bad.lua"], no_timeline => 1);
  is($r->{status}, 1, 'bad values: an error');
  like($r->{stderr}, qr/bad\.lua:3: assess\("knee_to_wall"\): values: no field 'distance_cm\.middle'/,
       'bad values: FILE:LINE and the field');
  open $fh, '>', "$dir/missing.lua" or die $!;
  print $fh "return routine { id = 'm', title = 'M',\n  run = function()\n    assess('balance')\n  end }\n";
  close $fh;
  $r = run_rebalance(args => ['simulate', "$dir/missing.lua"], no_timeline => 1);
  like($r->{stderr}, qr/missing\.lua:3: no assessment named 'balance'/,
       'unknown id: FILE:LINE');
  # a list where named fields belong once crashed the program
  open $fh, '>', "$dir/list.lua" or die $!;
  print $fh "return routine { id = 'l', title = 'L',\n  run = function()\n"
    . "    assess('knee_to_wall', { values = { 12, 13 } })\n  end }\n";
  close $fh;
  $r = run_rebalance(args => ['simulate', "$dir/list.lua"], no_timeline => 1);
  is($r->{status}, 1, 'values as a list: an error, not a crash');
  like($r->{stderr},
       qr/list\.lua:3: assess\("knee_to_wall"\): values must be a table of named fields/,
       'values as a list: FILE:LINE and what is wrong');
  $r = run_rebalance(args => ['--headless', '--virtual-clock', '--routine',
                              "$dir/list.lua"]);
  is($r->{status}, 1, 'values as a list in the kiosk: exit 1, no crash');
  like($r->{timeline}[-1]{error} // '', qr/list\.lua:3: /,
       'values as a list in the kiosk: the end names FILE:LINE');
}

done_testing();
