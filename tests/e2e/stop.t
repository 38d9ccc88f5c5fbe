#!/usr/bin/env perl
# "Stop - it hurts" is one touch away on every screen of a running
# routine: a tap on the red button (bottom right at 800x480) on a
# question, a measurement, an assessment's question and its result ends
# the routine as stopped, after the pain question.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Temp ();
use Test::More;

my $dir = File::Temp::tempdir(CLEANUP => 1);
open my $fh, '>', "$dir/steps.lua" or die $!;
print $fh <<'LUA';
return routine { id = "steps", title = "Steps",
  run = function()
    local how = ask{ question = "How do you feel?", choices = { "Fine", "Sore" } }
    local d = measure{ name = "Reach", unit = "cm", min = 0, max = 30, step = 0.5 }
    assess("doorway_leg_raise")
    say("All done.")
  end }
LUA
close $fh;

# Where each screen is reached (answers given by scripted ANSWER/NEXT),
# then a tap on STOP and the pain answer.
my %cases = (
  question    => "",
  measurement => "100 ANSWER Fine\n",
  assessment  => "100 ANSWER Fine\n200 ANSWER 12\n300 NEXT\n",
  result      => "100 ANSWER Fine\n200 ANSWER 12\n300 NEXT\n"
    . "400 ANSWER Yes\n410 ANSWER No\n420 ANSWER No\n430 NEXT\n"
    . "440 ANSWER Yes\n450 ANSWER No\n460 ANSWER No\n",
);
# what was said last before STOP: the screen that was on show
my %said_last = (question => qr/^How do you feel\?$/, measurement => qr/^Reach$/,
                 assessment => qr/^Left side\. Did the raised leg/,
                 result => qr/^Both legs reached|leg/i);
for my $name (sort keys %cases) {
  my $r = run_rebalance(
    args  => ['--headless', '--virtual-clock', '--routine', "$dir/steps.lua"],
    input => $cases{$name} . "1000 TAP 700 440\n1100 ANSWER 4\n");
  my $tl = $r->{timeline};
  my $end = $tl->[-1];
  is($end->{event}, 'end', "$name: the timeline ends");
  is($end->{status}, 'stopped', "$name: STOP tapped on the $name screen stops the routine");
  is($end->{reason}, 'patient', "$name: because the patient pressed it");
  my ($pain) = grep { $_->{event} eq 'ask_scale' } @$tl;
  is($pain && $pain->{answer}, 4, "$name: the pain after STOP is kept");
  is($r->{status}, 2, "$name: exit status 2 (stopped)");
  my @said = map { $_->{text} } grep { $_->{event} eq 'cue' && $_->{text} } @$tl;
  my ($i) = grep { $said[$_] =~ /You pressed stop/ } 0 .. $#said;
  like($i ? $said[$i - 1] : '', $said_last{$name}, "$name: STOP came on the $name screen");
  is(scalar(grep { $_->{event} eq 'assess' } @$tl), $name eq 'result' ? 1 : 0,
     "$name: an assessment result only when it was on show");
}
done_testing();
