from tests.conftest import text_of


def test_eti_home(world, client_for):
    c = client_for(world.a.member("eti"))
    r = c.get(f"/s/{world.a.slug}/")
    assert r.status_code == 200, text_of(r)
    assert "Mon équipe" in text_of(r)
