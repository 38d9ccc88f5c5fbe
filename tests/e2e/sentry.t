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
  my (%o) = @_;
  my $dir = File::Temp::tempdir(CLEANUP => 1);
  my @what = $o{args} ? @{ $o{args} } : ('--routine', $routine);
  my $until = $o{until} // qr/starting \Q$routine\E/;
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
    exec bin(), '--headless', @what, '--input', "$dir/input.txt",
      '--timeline', "$dir/tl.jsonl";
    exit 127;
  }
  close $w;
  my $sel = IO::Select->new($r);
  my $log = '';
  my $t0 = time;
  while (time - $t0 < 120 && $log !~ $until) {
    next unless $sel->can_read(1);
    my $n = sysread($r, my $buf, 4096);
    last unless $n;
    $log .= $buf;
  }
  return ($pid, $dir, $r, $log);
}

# True once the pipe read by $r holds 3 KiB or more unread (up to a
# minute: only a hang takes that long).
use constant FIONREAD => 0x541B;
sub pipe_full {
  my ($r) = @_;
  my $t0 = time;
  while (time - $t0 < 60) {
    my $n = pack('L', 0);
    ioctl($r, FIONREAD, $n) or return 0;
    return 1 if unpack('L', $n) >= 3072;
    sleep 0.05;
  }
  return 0;
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
  # SIGTERM once the log pipe is full (print() is blocked then), not
  # before: it would end the routine the ordinary way
  ok(pipe_full($r), 'SIGTERM: the log pipe is full (print() blocks)');
  kill 'TERM', $pid;
  my ($status, $took) = wait_gone($pid, 60);
  ok(defined $status, sprintf('SIGTERM while held: the coach ends (%.1f s)', $took));
  my $tl  = timeline($dir);
  my $end = $tl->[-1] // {};
  is($end->{event}, 'end', "SIGTERM while held: the session's end is written");
  like($end->{error} // '', qr/^\Q$routine\E:\d+: the routine held the coach inside a library call or a host function when it was asked to stop/,
       'SIGTERM while held: an error naming the routine, asked to stop');
  is(defined $status ? $status >> 8 : -1, 70, 'SIGTERM while held: status 70');
  close $r;
}

{
  # held while the routines load: the start ends, the file goes on the
  # list in the state folder, and the next start leaves it off (named)
  # and offers the others
  my $routines = File::Temp::tempdir(CLEANUP => 1);
  my $state    = File::Temp::tempdir(CLEANUP => 1);
  my $held     = "$routines/a-held.lua";
  # no minutes: the catalog's dry run runs it, and its print() blocks
  system('cp', $routine, $held) == 0
    or die "cp: $!";
  system('cp', "$root/scripts/routines/doorway-chest-stretch.lua",
         "$routines/b-fine.lua") == 0 or die "cp: $!";
  my ($pid, $dir, $r, $log) = start_held(
    args  => ['--routines', $routines, '--state', $state],
    until => qr/display: SDL/);
  like($log, qr/display: SDL/, 'load: the coach got as far as its display');
  my ($status, $took) = wait_gone($pid, 120);
  is(defined $status ? $status >> 8 : -1, 70,
     sprintf('load: held by a file, the start ends with status 70 (%.1f s)', $took));
  close $r;
  open my $lf, '<', "$state/held-routines";
  my $list = $lf ? do { local $/; <$lf> } : '';
  like($list, qr/\Q$held\E/, 'load: the file is on the list in the state folder');

  my $again = run_rebalance(
    args  => ['--headless', '--routines', $routines, '--state', $state],
    input => "2000 QUIT\n", no_timeline => 1);
  like($again->{stderr}, qr/\Q$held\E: left off: it held the coach/,
       'load: the next start leaves it off, saying why');
  unlike($again->{stderr}, qr/\tx{1000}/, 'load: without running it');
  unlike($again->{stderr}, qr/b-fine\.lua/, 'load: the other routine loads');
  is($again->{status}, 0, 'load: and the coach runs as usual');
}

done_testing();
