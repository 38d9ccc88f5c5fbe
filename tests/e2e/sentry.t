#!/usr/bin/perl
# The stop from outside (engine/sentry.c, issue 14): routine code held in
# a C call that never comes back is out of the budget's reach. Here the
# real case: print() writes the log to a stderr pipe nobody reads (4 KiB,
# full after four lines), so the main thread blocks inside the host. The
# sentry must end the session as an error naming the routine's FILE:LINE
# on the timeline and end the process with status 70 (systemd starts the
# coach again); with SIGTERM while held, within about a second of it.
#
# Nothing here depends on the machine's speed: the limits only stop a run
# that hangs (the sentry acts 3 s into the hold, and 1 s after SIGTERM).
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Temp ();
use IO::Select;
use POSIX ':sys_wait_h';
use Time::HiRes qw(sleep time);
use Test::More;

my $root    = root();
my $routine = "$root/tests/fixtures/held/print_blocked.lua";
use constant F_SETPIPE_SZ => 1031;

# Starts the headless coach on the real clock with stderr into a small
# pipe; reads it until the session starts, then never again. Returns
# (pid, dir, the stderr read handle, the log read).
sub start_held {
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  open my $in, '>', "$dir/input.txt" or die $!;
  print $in "600000 QUIT\n"; # keeps it running: only the sentry ends it
  close $in;
  pipe(my $r, my $w) or die "pipe: $!";
  fcntl($w, F_SETPIPE_SZ, 4096); # the smallest pipe: full at once
  my $pid = fork // die "fork: $!";
  if ($pid == 0) {
    close $r;
    open STDOUT, '>', "$dir/out.txt";
    open STDERR, '>&', $w or die $!;
    exec bin(), '--headless', '--routine', $routine, '--input',
      "$dir/input.txt", '--timeline', "$dir/tl.jsonl";
    exit 127;
  }
  close $w;
  my $sel = IO::Select->new($r);
  my $log = '';
  my $t0 = time;
  while (time - $t0 < 120 && $log !~ /starting \Q$routine\E/) {
    next unless $sel->can_read(1);
    my $n = sysread($r, my $buf, 4096);
    last unless $n;
    $log .= $buf;
  }
  return ($pid, $dir, $r, $log);
}

sub wait_gone {
  my ($pid, $limit) = @_;
  my $t0 = time;
  while (time - $t0 < $limit) {
    return ($?, time - $t0) if waitpid($pid, WNOHANG) == $pid;
    sleep 0.05;
  }
  kill 'KILL', $pid;
  waitpid($pid, 0);
  return (undef, time - $t0);
}

sub timeline {
  my ($dir) = @_;
  open my $fh, '<', "$dir/tl.jsonl" or return [];
  local $/;
  return events_of(<$fh> // '');
}

{
  my ($pid, $dir, $r, $log) = start_held();
  like($log, qr/starting/, 'held: the session started (log read up to it)');
  my ($status, $took) = wait_gone($pid, 120);
  ok(defined $status, sprintf('held: the coach ended by itself (%.1f s)', $took));
  is(defined $status ? $status >> 8 : -1, 70,
     'held: exit status 70 (EX_SOFTWARE: systemd starts it again)');
  my $tl  = timeline($dir);
  my $end = $tl->[-1] // {};
  is($end->{event}, 'end', "held: the session's end is on the timeline");
  is($end->{status}, 'error', 'held: as an error');
  like($end->{error} // '', qr/^\Q$routine\E:\d+: the routine held the coach/,
       'held: naming the routine FILE:LINE');
  like($end->{error} // '', qr/stopped from outside/, 'held: and what was done');
  ok((grep { $_->{event} eq 'start' } @$tl), 'held: the start is kept too');
  close $r;
}

{
  my ($pid, $dir, $r, $log) = start_held();
  like($log, qr/starting/, 'SIGTERM: the session started');
  sleep 0.3; # the log pipe fills; the sentry would act only at 3 s
  kill 'TERM', $pid;
  my ($status, $took) = wait_gone($pid, 60);
  ok(defined $status, sprintf('SIGTERM while held: the coach ends (%.1f s)', $took));
  my $tl  = timeline($dir);
  my $end = $tl->[-1] // {};
  is($end->{event}, 'end', "SIGTERM while held: the session's end is written");
  like($end->{error} // '', qr/^\Q$routine\E(:\d+)?: .*(asked to stop|held the coach)/,
       'SIGTERM while held: an error naming the routine');
  close $r;
}

done_testing();
