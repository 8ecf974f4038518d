-- The orders service's own database starts here; each later change is a new versioned file.
COMMENT ON SCHEMA public IS 'Shopmesh orders service';
