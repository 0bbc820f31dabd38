-- The views' rows are updated in place at every handler run: a station's latest values, a bucket's sums. Room left
-- on each page keeps an update on its page (a HOT update: no new index entry), and a later read prunes the old
-- versions once no transaction can see them. Full pages sent the updates to other pages with new index entries
-- whenever the command path's long transactions held the old versions visible: after a benchmark run, with
-- autovacuum off, a station lookup read 26 buffers (docs/benchmarks.md). A rebuild keeps these settings.
ALTER TABLE station_view SET (fillfactor = 25);
ALTER TABLE observation_rollup SET (fillfactor = 50);
