#!/usr/bin/env perl
# The systemd watchdog (Type=notify): the coach tells a fake NOTIFY_SOCKET
# READY=1 once its first frame is drawn, feeds WATCHDOG=1 from the main
# loop while it turns (also while idle), none while the loop is stalled
# (--input "T STALL MS"), and STOPPING=1 when it stops.
#
# Nothing here depends on the machine's speed: the assertions are about the
# order of the messages, which the program fixes, not about how long
# anything took. The time limits below only stop a hung run.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use Test::More;
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::UNIX;
use POSIX qw(WNOHANG);
use Socket qw(SOCK_DGRAM);
use Time::HiRes qw(time);

my $HANG = 120;    # seconds: a run that takes longer than this is hung

# start(name => ..., input => "...", watchdog_usec => N, watchdog_pid => 'self'|PID)
# Starts the headless coach with its own notify socket; returns a run.
sub start {
  my %o   = @_;
  my $dir = tempdir(CLEANUP => 1);
  my $sock = IO::Socket::UNIX->new(Type => SOCK_DGRAM, Local => "$dir/notify")
    or die "notify socket: $!";
  my @args = ('--headless', '--screenshot-dir', "$dir/shots");
  if (defined $o{input}) {
    open my $fh, '>', "$dir/input.txt" or die $!;
    print $fh $o{input};
    close $fh;
    push @args, '--input', "$dir/input.txt";
  }
  my $pid = fork() // die "fork: $!";
  if ($pid == 0) {
    $ENV{NOTIFY_SOCKET} = "$dir/notify";
    if (defined $o{watchdog_usec}) {
      $ENV{WATCHDOG_USEC} = $o{watchdog_usec};
      $ENV{WATCHDOG_PID} = $o{watchdog_pid} eq 'self' ? $$ : $o{watchdog_pid};
    } else {
      delete @ENV{qw(WATCHDOG_USEC WATCHDOG_PID)};
    }
    open STDIN,  '<', '/dev/null'        or die $!;
    open STDOUT, '>', "$dir/stdout.txt" or die $!;
    open STDERR, '>', "$dir/stderr.txt" or die $!;
    exec(bin(), @args) or die "exec: $!";
  }
  return { dir => $dir, pid => $pid, sock => $sock, sel => IO::Select->new($sock),
           msgs => [], status => undef, name => $o{name} };
}

# Reads what has arrived (waiting up to $wait s for the first); returns the
# number of messages read. Each datagram may hold several lines.
sub pump {
  my ($r, $wait) = @_;
  my $n = 0;
  while ($r->{sel}->can_read($n ? 0 : $wait)) {
    my $buf;
    defined $r->{sock}->recv($buf, 4096) or last;
    push @{ $r->{msgs} }, grep { length } split /\n/, $buf;
    $n++;
  }
  return $n;
}

# Reads until cond->(messages) is true or the run ends; false when it ends
# (or hangs) first.
sub wait_for {
  my ($r, $cond) = @_;
  my $end = time + $HANG;
  while (time < $end) {
    return 1 if $cond->($r->{msgs});
    if (!defined $r->{status} && waitpid($r->{pid}, WNOHANG) == $r->{pid}) {
      $r->{status} = $?;
      pump($r, 0);
      return $cond->($r->{msgs});
    }
    return $cond->($r->{msgs}) if defined $r->{status};
    pump($r, 0.2);
  }
  return 0;
}

# Stops the run with SIGTERM (unless it ended) and reads the rest.
sub finish {
  my ($r, $signal) = @_;
  if (!defined $r->{status}) {
    kill $signal, $r->{pid} if $signal;
    my $end = time + $HANG;
    while (time < $end && waitpid($r->{pid}, WNOHANG) != $r->{pid}) {
      pump($r, 0.2);
    }
    if (time >= $end) {
      kill 'KILL', $r->{pid};
      waitpid($r->{pid}, 0);
      $r->{hung} = 1;
    }
    $r->{status} = $?;
  }
  pump($r, 0);
  $r->{stderr} = E2E::slurp("$r->{dir}/stderr.txt");
  return $r;
}

sub count { my ($msgs, $re) = @_; return scalar grep { $_ =~ $re } @$msgs }

sub index_of {
  my ($msgs, $re, $from) = @_;
  for my $i (($from // 0) .. $#$msgs) { return $i if $msgs->[$i] =~ $re }
  return -1;
}

my $STALL_BEGIN = qr/^STATUS=stalling the main loop for 1200 ms/;
my $STALL_END   = qr/^STATUS=the main loop goes on after a 1200 ms stall/;

# --- a kiosk that draws its first frame, stalls, idles, is stopped ---------
# A watchdog of 1 s is fed every 500 ms. The first turn of the loop feeds
# it before anything else; the stall (1200 ms, longer than half the
# interval) comes next; the screenshot after it draws the first frame (a
# headless run draws nothing else), and the last line, ten minutes away,
# leaves the loop idle until the test stops it.
{
  my $r = start(name => 'kiosk', watchdog_usec => 1_000_000, watchdog_pid => 'self',
                input => "0 STALL 1200\n0 SCREENSHOT first\n600000 NEXT\n");
  my $ready;
  ok(wait_for($r, sub {
       my $m = shift;
       my $i = index_of($m, qr/^READY=1$/);
       return $i >= 0 && count([ @$m[ $i .. $#$m ] ], qr/^WATCHDOG=1$/) >= 3;
     }),
     'READY=1 comes, then three WATCHDOG=1 while the loop is idle')
    or diag explain $r->{msgs};
  ok(-s "$r->{dir}/shots/first.png", 'the first frame was drawn (first.png)');
  finish($r, 'TERM');
  my @m = @{ $r->{msgs} };
  note explain \@m if $ENV{TEST_VERBOSE};
  ok(!$r->{hung}, 'SIGTERM stops it');
  is($r->{status} >> 8, 0, 'exit 0') or diag $r->{stderr};

  my $begin = index_of(\@m, $STALL_BEGIN);
  my $end   = index_of(\@m, $STALL_END);
  my $ready_at = index_of(\@m, qr/^READY=1$/);
  ok($begin >= 0 && $end > $begin, 'the stall is told: when it starts, then when it ends')
    or diag explain \@m;
  ok(count([ @m[ 0 .. $begin - 1 ] ], qr/^WATCHDOG=1$/) >= 1,
     'WATCHDOG=1 before the stall (the first turn of the loop feeds it)');
  is(count([ @m[ $begin .. $end ] ], qr/^WATCHDOG=1$/), 0,
     'no WATCHDOG=1 while the main loop is stalled');
  is(index_of(\@m, qr/^WATCHDOG=1$/, $end) > $end ? 1 : 0, 1,
     'WATCHDOG=1 again as soon as the loop turns after the stall');
  is(count(\@m, qr/^READY=1$/), 1, 'READY=1 once');
  ok($ready_at > $end,
     'READY=1 only after the first frame (which the screenshot after the stall draws)');
  is($m[-1], 'STOPPING=1', 'STOPPING=1 last');
  is(count(\@m, qr/^STOPPING=1$/), 1, 'STOPPING=1 once');
  like($r->{stderr}, qr/systemd watchdog: every 1000 ms, fed every 500 ms/,
       'the watchdog is said in the log');
  unlike(join("\n", @m), qr/^(?!READY=1$|WATCHDOG=1$|STOPPING=1$|STATUS=)/m,
         'nothing but READY, WATCHDOG, STATUS and STOPPING');
}

# --- nothing is drawn (headless, no screenshot): never READY --------------
{
  my $r = start(name => 'no frame', watchdog_usec => 1_000_000, watchdog_pid => 'self');
  ok(wait_for($r, sub { count(shift, qr/^WATCHDOG=1$/) >= 2 }),
     'no frame: the watchdog is fed all the same') or diag explain $r->{msgs};
  finish($r, 'TERM');
  is(count($r->{msgs}, qr/^READY=1$/), 0, 'no frame drawn: no READY=1')
    or diag explain $r->{msgs};
  is($r->{msgs}[-1], 'STOPPING=1', 'no frame: STOPPING=1 last');
}

# --- the watchdog belongs to another process (WATCHDOG_PID): not fed -----
{
  my $r = start(name => 'other pid', watchdog_usec => 1_000_000, watchdog_pid => 1,
                input => "0 SCREENSHOT first\n");
  finish($r);    # the script ends, so does a headless run
  is($r->{status} >> 8, 0, 'WATCHDOG_PID of another process: runs') or diag $r->{stderr};
  is(count($r->{msgs}, qr/^WATCHDOG=1$/), 0, 'and never feeds a watchdog not its own')
    or diag explain $r->{msgs};
  is(count($r->{msgs}, qr/^READY=1$/), 1, 'READY=1 all the same');
  is($r->{msgs}[-1], 'STOPPING=1', 'STOPPING=1 last');
}

# --- a bad STALL is a script error with FILE:LINE ----------------------
{
  my $r = run_rebalance(args => ['--headless'], input => "0 STALL soon\n", no_timeline => 1);
  isnt($r->{status}, 0, 'a bad STALL line is refused');
  like($r->{stderr}, qr/input\.txt:1: STALL needs a time in milliseconds/, 'with FILE:LINE');
}

done_testing();
