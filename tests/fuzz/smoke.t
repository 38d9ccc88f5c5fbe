#!/usr/bin/perl
# The libFuzzer targets (fuzz/, built by ./dev.sh test into build-fuzz/)
# each run a fixed number of inputs from their seed corpus and mutations
# of it, so CI sees at once a change that makes a parser crash, hang or
# leak; the number of runs, not the time, is fixed (the machine's speed
# changes nothing but how long it takes). ./dev.sh fuzz SECONDS runs them
# for longer (docs/fuzzing.md).
use strict;
use warnings;
use File::Temp ();
use Test::More;

my $root = $ENV{REBALANCE_ROOT} // '.';
my $dir  = "$root/build-fuzz/fuzz";
plan skip_all => "no $dir: build with ./dev.sh test (needs clang)"
  unless -d $dir;

my %sources = (routine => ['scripts/routines/*.lua', 'tests/fixtures/*.lua'],
               figure  => ['assets/figures/*.lua'],
               config  => ['config/rebalance.conf']);
my %runs = (config => 20000, input => 50000, timeline => 50000,
            figure => 10000, routine => 2000, plugin => 50000);
for my $name (sort keys %runs) {
  my $bin = "$dir/fuzz_$name";
  ok(-x $bin, "fuzz_$name is built") or next;
  my $work = File::Temp::tempdir(CLEANUP => 1);
  # the seeds: fuzz/corpus/NAME, and the project's own files of the kind
  # (taken where they are, not copied into the corpus)
  my @seeds = (glob("$root/fuzz/corpus/$name/*"), map { glob("$root/$_") }
               @{ $sources{$name} // [] });
  BAIL_OUT("no seeds for fuzz_$name") unless @seeds;
  system('cp', @seeds, $work) == 0 or BAIL_OUT("cp seeds for fuzz_$name");
  my $out = `cd $work && $bin -runs=$runs{$name} -timeout=20 -seed=1 -rss_limit_mb=2048 $work 2>&1`;
  my $rc = $? >> 8;
  is($rc, 0, "fuzz_$name: $runs{$name} runs, no crash, hang or leak")
    or diag(join "\n", grep { /ERROR|SUMMARY|crash-|timeout/ } split /\n/, $out);
  like($out, qr/Done \d+ runs/, "fuzz_$name: ran to the end");
}

done_testing();
