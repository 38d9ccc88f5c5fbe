#!/usr/bin/perl
# SIGTERM (systemd stopping the kiosk) works whatever the routine is
# doing: a runaway loop, a pattern that would backtrack for hours, a flood
# of show{} calls. The coach on the real clock gets SIGTERM half a second
# into each and must exit, with the session's end on its timeline; the
# limit here is generous (a hang is forever), the budget itself is 1 s.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Temp ();
use POSIX ':sys_wait_h';
use Time::HiRes qw(sleep time);
use Test::More;

my $root = root();
my @routines = ("$root/tests/fixtures/forever.lua",
                "$root/tests/fixtures/hostile/pattern_backtrack.lua",
                "$root/tests/fixtures/hostile/show_flood.lua");

for my $path (@routines) {
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $in, '>', "$dir/input.txt" or die $!;
  print $in "600000 QUIT\n"; # keeps it running: only SIGTERM ends it
  close $in;
  my $pid = fork // die "fork: $!";
  if ($pid == 0) {
    open STDOUT, '>', "$dir/out.txt";
    open STDERR, '>', "$dir/err.txt";
    exec bin(), '--headless', '--routine', $path, '--input', "$dir/input.txt",
      '--timeline', "$dir/tl.jsonl";
    exit 127;
  }
  sleep 0.5;
  kill 'TERM', $pid;
  my $t0 = time;
  my $gone = 0;
  while (time - $t0 < 30) {
    if (waitpid($pid, WNOHANG) == $pid) { $gone = 1; last }
    sleep 0.05;
  }
  unless ($gone) { kill 'KILL', $pid; waitpid($pid, 0) }
  (my $name = $path) =~ s{.*/}{};
  ok($gone, sprintf("%s: SIGTERM ends the coach (%.1f s)", $name, time - $t0));
  my @tl = @{ events_of(do { local (@ARGV, $/) = ("$dir/tl.jsonl"); <> // '' }) };
  is(@tl ? $tl[-1]{event} : '', 'end', "$name: the session's end is written");
}

done_testing();
