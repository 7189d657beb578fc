// FireCO plugin (being written)
