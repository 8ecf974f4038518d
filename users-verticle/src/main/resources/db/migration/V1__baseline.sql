-- The users service's own database starts here; each later change is a new versioned file.
COMMENT ON SCHEMA public IS 'Shopmesh users service';
