# E2E: helpers for the end-to-end tests. They run the real program
# (REBALANCE_BIN) headless on the virtual clock with a scripted --input and
# read back the timeline it writes.
package E2E;
use strict;
use warnings;
use Exporter 'import';
use File::Basename qw(dirname);
use File::Spec;
use File::Temp qw(tempdir);
use JSON::PP;
our @EXPORT = qw(root bin run_rebalance events_of first_event all_events);

sub root {
  return $ENV{REBALANCE_ROOT}
    // File::Spec->rel2abs(dirname(__FILE__) . '/../..');
}

sub bin {
  my $b = $ENV{REBALANCE_BIN} // root() . '/build-asan/rebalance';
  die "no program at $b: build first (./dev.sh test)\n" unless -x $b;
  return $b;
}

# run_rebalance(args => [...], input => "T ACTION\n...", stdin => "...")
# Returns { status, stdout, stderr, timeline => [events], dir }.
sub run_rebalance {
  my %o   = @_;
  my $dir = tempdir(CLEANUP => 1);
  my @args = @{ $o{args} // [] };
  if (defined $o{input}) {
    open my $fh, '>', "$dir/input.txt" or die $!;
    print $fh $o{input};
    close $fh;
    push @args, '--input', "$dir/input.txt";
  }
  push @args, '--timeline', "$dir/timeline.jsonl" unless $o{no_timeline};
  # the coach in a terminal or a window keeps results by default, in the
  # build tree's state/: a test's sessions go to its own store instead
  push @args, '--state', "$dir/state"
    if (grep { /^--(terminal|window)$/ } @args) && !grep { /^--state/ } @args;
  my $stdin = defined $o{stdin} ? "$dir/stdin.txt" : '/dev/null';
  if (defined $o{stdin}) {
    open my $fh, '>', $stdin or die $!;
    print $fh $o{stdin};
    close $fh;
  }
  my $cmd = join ' ', map { quote($_) } bin(), @args;
  system("$cmd <$stdin >$dir/stdout.txt 2>$dir/stderr.txt");
  my $status = $? == -1 ? -1 : ($? & 127 ? 128 + ($? & 127) : $? >> 8);
  my %r = (status => $status, dir => $dir,
           stdout => slurp("$dir/stdout.txt"),
           stderr => slurp("$dir/stderr.txt"));
  $r{timeline} = events_of(slurp("$dir/timeline.jsonl"))
    if -e "$dir/timeline.jsonl";
  return \%r;
}

sub quote { my $s = shift; $s =~ s/'/'\\''/g; return "'$s'" }

sub slurp {
  my $f = shift;
  open my $fh, '<', $f or return '';
  local $/;
  my $s = <$fh>;
  return $s // '';
}

# Parses JSON lines; dies on a line that is not a JSON object.
sub events_of {
  my $text = shift;
  my @ev;
  for my $line (split /\n/, $text) {
    next unless length $line;
    my $e = eval { decode_json($line) };
    die "not a JSON line: $line\n" unless ref $e eq 'HASH';
    push @ev, $e;
  }
  return \@ev;
}

sub all_events {
  my ($tl, $name) = @_;
  return grep { $_->{event} eq $name } @{ $tl // [] };
}

sub first_event { my @e = all_events(@_); return $e[0] }

1;
