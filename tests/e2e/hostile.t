#!/usr/bin/perl
# Nothing a routine does freezes or floods the coach (issue 14): each
# routine of tests/fixtures/hostile (a library call that loops inside C,
# a lying __len, a flood of show/print, a record whose keys share one long
# text) ends as an error with its FILE:LINE, at once, with bounded output;
# simulate says so, and the headless coach goes home and runs the next
# routine.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Temp ();
use Test::More;
use Time::HiRes ();

my $dir = root() . '/tests/fixtures/hostile';
opendir my $dh, $dir or die "$dir: $!";
my @files = sort grep { /\.lua$/ } readdir $dh;
closedir $dh;
ok(@files >= 8, 'the hostile routines are there');

for my $f (@files) {
  my $path = "$dir/$f";
  open my $fh, '<', $path or die $!;
  my ($why) = <$fh> =~ /^-- (.*)/;
  close $fh;
  my $t0 = Time::HiRes::time();
  my $r = run_rebalance(args => ['simulate', $path], no_timeline => 1);
  my $took = Time::HiRes::time() - $t0;
  my $tl = events_of($r->{stdout});
  my $end = $tl->[-1] // {};
  is($end->{status}, 'error', "$f ($why): simulate ends it as an error");
  like($end->{error} // '', qr/^\Q$path\E:\d+: /, "$f: with FILE:LINE");
  # generous: each stops within the routine's 1 s budget; a hang is minutes
  ok($took < 60, sprintf("$f: in seconds, not hours (%.1f s)", $took));
  ok(length($r->{stderr}) < 256 * 1024,
     "$f: bounded output (" . length($r->{stderr}) . " bytes of log)");

  # the coach: the error screen, OK goes home, the first card runs
  my $h = run_rebalance(
    args => ['--headless', '--virtual-clock', '--routine', $path],
    input => "100 PRIMARY\n200 PRIMARY\n300 PRIMARY\n");
  my @starts = all_events($h->{timeline}, 'start');
  is(scalar @starts, 2, "$f: the coach goes on to another routine");
  ok(length($h->{stderr}) < 256 * 1024, "$f: the coach's log stays small");
}

done_testing();
