#!/usr/bin/env perl
# One slip never ends a session: a touch on 7 of the pain scale, where the
# routine stops at 7 or more, put right by a touch on 4 within the moment
# the screen gives, records 4 and the routine goes on; left alone, the
# touched answer is saved when the moment is over; touched twice, at once
# (but a touch that bounces is one touch).
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Temp ();
use Test::More;

my $dir = File::Temp::tempdir(CLEANUP => 1);
open my $fh, '>', "$dir/pain.lua" or die $!;
print $fh <<'LUA';
return routine { id = "pain", title = "Pain check",
  run = function()
    local p = ask_scale{ question = "How much pain now?" }
    if p >= 7 then
      say("That is too much pain today. We stop here.")
      return
    end
    say("Good, we go on.")
  end }
LUA
close $fh;

# The cells of the pain scale at 800x480 (two rows: 0-5 and 6-10).
my %at = (7 => '204 276', 4 => '590 186');

sub run_taps {
  my $input = shift;
  return run_rebalance(
    args => ['--headless', '--virtual-clock', '--size', '800x480',
             '--routine', "$dir/pain.lua"],
    input => $input);
}

sub answer_of {
  my $r = shift;
  my ($a) = grep { $_->{event} eq 'ask_scale' } @{ $r->{timeline} };
  return $a ? $a->{answer} : undef;
}

sub said {
  my ($r, $re) = @_;
  return scalar grep { $_->{event} eq 'say' && ($_->{text} // '') =~ $re }
    @{ $r->{timeline} };
}

{
  my $r = run_taps("1000 TAP $at{7}\n2000 TAP $at{4}\n");
  is($r->{status}, 0, 'slip put right: the routine completes') or diag($r->{stderr});
  is(answer_of($r), 4, 'slip put right: 4 is recorded, not 7');
  ok(said($r, qr/we go on/), 'slip put right: the routine went on');
  ok(!said($r, qr/too much pain/), 'slip put right: it did not stop for 7');
  my ($ask) = grep { $_->{event} eq 'ask_scale' } @{ $r->{timeline} };
  ok($ask && $ask->{t} == 4500,
     'slip put right: saved 2.5 s after the last touch')
    or diag('t = ' . ($ask ? $ask->{t} : 'none'));
}
{
  my $r = run_taps("1000 TAP $at{7}\n");
  is(answer_of($r), 7, 'left alone: the touched answer is saved');
  ok(said($r, qr/too much pain/), 'left alone: the routine acts on it');
}
{
  my $r = run_taps("1000 TAP $at{4}\n1100 TAP $at{4}\n1500 TAP $at{4}\n");
  my ($ask) = grep { $_->{event} eq 'ask_scale' } @{ $r->{timeline} };
  is(answer_of($r), 4, 'touched twice: saved');
  ok($ask && $ask->{t} == 1500,
     'touched twice: at once (a bounce 100 ms after the first is no second touch)')
    or diag('t = ' . ($ask ? $ask->{t} : 'none'));
}
{
  my $r = run_taps("1000 ANSWER 8\n");
  my ($ask) = grep { $_->{event} eq 'ask_scale' } @{ $r->{timeline} };
  ok($ask && $ask->{answer} == 8 && $ask->{t} == 1000,
     'a scripted ANSWER is saved at once');
}
done_testing();
