from oncoparcours.core.testing import COMMUNES
from oncoparcours.territories.geo import haversine_km

COORDS = {insee: (lat, lon) for insee, _n, _s, _d, _e, _p, lat, lon, _pc in COMMUNES}


def test_lyon_to_villeurbanne_matches_the_hand_computed_distance():
    # Δφ = -0.0009°, Δλ = 0.0458° * cos(45.767°) = 0.03196°; √(0.03196² + 0.0009²) = 0.03197°
    # = 0.000558 rad * 6371 km = 3.56 km → 3.6 km.
    assert haversine_km(*COORDS["69123"], *COORDS["69266"]) == 3.6


def test_distance_is_symmetric_and_zero_at_the_same_place():
    lyon, clermont = COORDS["69123"], COORDS["63113"]
    assert haversine_km(*lyon, *clermont) == haversine_km(*clermont, *lyon) == 135.5
    assert haversine_km(*lyon, *lyon) == 0.0
