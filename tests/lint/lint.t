#!/usr/bin/env perl
# Style and static analysis keep the C honest: clang-format (LLVM style,
# .clang-format) must have nothing to change, cppcheck nothing to say.
use strict;
use warnings;
use File::Basename qw(dirname);
use File::Spec;
use Test::More;

my $root = $ENV{REBALANCE_ROOT} // File::Spec->rel2abs(dirname(__FILE__) . '/../..');
chdir $root or die "$root: $!";
my @c = sort(glob('engine/*.c engine/*.h tests/unit/*.c tests/unit/*.h tests/tools/*.c'),
             glob('hw/*.c hw/*.h tests/hw/*.c tests/hw/*.h plugins/*/*.c include/rebalance/*.h fuzz/*.c fuzz/*.h'));
ok(@c > 10, 'C files found (' . scalar(@c) . ')');

SKIP: {
  skip 'clang-format is not installed (./dev.sh test installs it)', 1
    unless system('command -v clang-format >/dev/null 2>&1') == 0;
  my $out = `clang-format --dry-run --Werror @c 2>&1`;
  is($?, 0, 'clang-format: nothing to change') or diag $out;
}

SKIP: {
  skip 'cppcheck is not installed (./dev.sh test installs it)', 1
    unless system('command -v cppcheck >/dev/null 2>&1') == 0;
  my @src = grep { /\.c$/ && !m{^tests/unit/} } @c;
  my $out = `cppcheck --enable=warning,performance,portability --std=c11 --inline-suppr --quiet --error-exitcode=1 -I engine -I include -I hw -I tests/hw -I fuzz --suppress=missingIncludeSystem @src 2>&1`;
  is($?, 0, 'cppcheck: no warnings') or diag $out;
}

done_testing();
