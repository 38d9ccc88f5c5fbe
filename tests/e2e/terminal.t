#!/usr/bin/env perl
# The terminal coach (no display): back to the menu after a routine, the
# safety line before every hold, text wrapped at the terminal's width
# without breaking a word, records named for people, a bad answer said
# and asked again, "8,5" taken as 8.5, and the cues spoken (into the WAV
# of --audio-out, as they would be to a sound card).
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Temp ();
use Test::More;

$ENV{SDL_AUDIODRIVER} = 'dummy';    # no card: the words only

# --- the menu comes back after a routine; q leaves it -------------------------
{
  my $r = run_rebalance(args => ['--terminal', '--virtual-clock'],
                        stdin => "3\n3\n\n\n\n\n\n\n\n2\nq\n");
  is($r->{status}, 0, 'menu: completes, then q leaves');
  my @asked = $r->{stdout} =~ /Which one\?/g;
  is(scalar @asked, 2, 'menu: asked again after the routine');
  my $end = index($r->{stdout}, 'Well done');
  ok($end >= 0 && index($r->{stdout}, 'Which one?', $end) > $end,
     'menu: after the summary');
}
{
  my $r = run_rebalance(args => ['--terminal', '--virtual-clock'],
                        stdin => "12\nx\n3\n3\n\n\n\n\n\n\n\n2\n");
  like($r->{stdout}, qr/Please type one of the numbers above/,
       'menu: a wrong choice is said, and asked again');
  is(first_event($r->{timeline}, 'start')->{routine}, 'doorway-chest-stretch',
     'menu: then the right one runs');
}

# --- the safety line before every hold ----------------------------------------
{
  local $ENV{COLUMNS} = 40;
  my $r = run_rebalance(
    args  => ['--terminal', '--routine', 'doorway-chest-stretch', '--virtual-clock'],
    stdin => "2\n\n\n\n\n1\n");
  is($r->{status}, 0, 'holds: completes');
  my @holds = $r->{stdout} =~ /^>> HOLD.*\n\s+If it hurts, type s to stop\./mg;
  is(scalar @holds, 6, 'holds: each of the six says how to stop');

  # wrapped at 40 columns, never inside a word
  my @long = grep { length($_) > 39 && /\S\s+\S/ } split /\n/, $r->{stdout};
  is(scalar @long, 0, 'wrap: no line of several words is wider than the terminal')
    or diag(join "\n", @long);
  (my $flat = $r->{stdout}) =~ s/\s*\n\s*/ /g;
  like($flat, qr/Put your left forearm flat on the door frame, with your hand at shoulder height\./,
       'wrap: a long caption reads whole, every word intact');
  like($r->{stdout}, qr/\*\* Well done/, 'holds: ends well');
}

# --- without a terminal, s stops in the middle of a hold ----------------------
{
  my $r = run_rebalance(
    args  => ['--terminal', '--routine', 'doorway-chest-stretch', '--virtual-clock'],
    stdin => "2\n\n\ns\n5\n");
  is($r->{status}, 2, 'stop in a hold: stopped');
  my $end = $r->{timeline}[-1];
  my @holds = all_events($r->{timeline}, 'hold');
  ok(@holds == 1 && $end->{t} < 30000,
     'stop in a hold: during the first hold, not after it')
    or diag("holds: " . scalar(@holds) . ", end at $end->{t}");
  is($end->{reason}, 'patient', 'stop in a hold: by the patient');
}
{
  # choices that are numbers themselves: "1" is the first in the list
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $fh, '>', "$dir/falls.lua" or die $!;
  print $fh <<'LUA';
return routine { id = "falls", title = "Falls",
  run = function()
    ask{ question = "How many falls this year?", choices = { "0", "1", "2", "3 or more" } }
  end }
LUA
  close $fh;
  my $r = run_rebalance(
    args  => ['--terminal', '--routine', "$dir/falls.lua", '--virtual-clock'],
    stdin => "1\n");
  my ($ask) = all_events($r->{timeline}, 'ask');
  is($ask && $ask->{answer}, '0', 'numbered choices: 1 picks the first ("0")');
  $r = run_rebalance(
    args  => ['--terminal', '--routine', "$dir/falls.lua", '--virtual-clock'],
    stdin => "\0\n\r\n4\n");
  ($ask) = all_events($r->{timeline}, 'ask');
  is($ask && $ask->{answer}, '3 or more', 'a NUL and a bare CR line are asked again');
}

# --- answers: said again when wrong, "8,5", labels ----------------------------
{
  # ankle-wall-test: pain, get ready, four steps and the distance per side,
  # the result, the pain after
  my $r = run_rebalance(
    args  => ['--terminal', '--routine', 'ankle-wall-test', '--virtual-clock'],
    stdin => "eleven\n2\n\n\n\n\n\n8,5\n\n\n\n\n55\nabc\n11\n\n1\n");
  is($r->{status}, 0, 'answers: completes') or diag($r->{stderr});
  like($r->{stdout}, qr/"eleven" is not one of the answers\.\s+Type a whole number from 0 to 10/,
       'answers: a word for a number is said, and the question asked again');
  like($r->{stdout}, qr/"55" is not one of the answers\.\s+Type a number from 0 to 20 cm/,
       'answers: out of range too');
  my @m = all_events($r->{timeline}, 'measure');
  is($m[0] && $m[0]{answer}, 8.5, 'answers: "8,5" is 8.5 (not 5)');
  is($m[1] && $m[1]{answer}, 11, 'answers: the right answer after two wrong ones');
  like($r->{stdout}, qr/Knee to wall left \(cm\): 8\.5/,
       'records: named for people');
  unlike($r->{stdout}, qr/knee_to_wall_cm/, 'records: no raw keys');
}

# --- the cues are spoken ------------------------------------------------------
{
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  my $r = run_rebalance(
    args  => ['--terminal', '--routine', 'doorway-chest-stretch', '--virtual-clock',
              '--audio-out', "$dir/voice.wav"],
    stdin => "2\n\n\n\n\n1\n");
  is($r->{status}, 0, 'voice: completes');
  ok(-s "$dir/voice.wav" > 44, 'voice: the WAV is written');
  open my $fh, '<:raw', "$dir/voice.wav" or die $!;
  local $/;
  my $d = <$fh>;
  my ($loud) = (0);
  for my $s (unpack 's<*', substr($d, 44)) {
    $loud++ if abs($s) > 2000;
  }
  ok($loud > 1000, "voice: the cues are heard ($loud loud samples)");
}
done_testing();
